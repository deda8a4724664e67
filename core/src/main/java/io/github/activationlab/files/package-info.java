/**
 * Writes that are complete or absent, whatever happens to the writer: {@link
 * io.github.activationlab.files.AtomicFiles} for files, {@link
 * io.github.activationlab.files.AtomicDirectory} for directories (a symbolic link to a hidden
 * complete version). Without {@code force} an existing target is refused by the final step itself,
 * so of two concurrent writers exactly one wins; with it the old target is replaced only by a
 * complete new one. {@link io.github.activationlab.files.Temporaries} names the hidden temporaries
 * after their process, so the next write removes what crashed writers left.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("out/result.json"), false, json.getBytes(StandardCharsets.UTF_8));
 * }</pre>
 */
package io.github.activationlab.files;
