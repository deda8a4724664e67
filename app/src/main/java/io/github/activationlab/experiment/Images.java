package io.github.activationlab.experiment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * The gallery's image as the notebook prepares it: the first (red) channel / 255, minus its median
 * ({@code np.array(img)[:,:,0]/255.; image -= np.median(image)}).
 */
public record Images(double[] pixels, int width, int height, String source) {

  /** The bundled photo (CC0, see its README) when {@code path} is null; else a PNG or JPEG file. */
  public static Images load(Path path) throws IOException {
    BufferedImage img;
    String source;
    if (path == null) {
      try (InputStream in = Images.class.getResourceAsStream("/images/chelsea.png")) {
        if (in == null) throw new IOException("the bundled image /images/chelsea.png is missing");
        img = ImageIO.read(in);
      }
      source = "chelsea.png (bundled, CC0)";
    } else {
      if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
      if (!Files.isReadable(path) || Files.isDirectory(path))
        throw new IOException("cannot read image " + path);
      img = ImageIO.read(path.toFile());
      source = path.toString();
    }
    if (img == null)
      throw new IOException("not an image (PNG or JPEG): " + (path == null ? "bundled" : path));
    int w = img.getWidth();
    int h = img.getHeight();
    double[] px = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) px[y * w + x] = ((img.getRGB(x, y) >> 16) & 0xff) / 255.0;
    }
    double[] sorted = px.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    double median = sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    for (int i = 0; i < px.length; i++) px[i] -= median;
    return new Images(px, w, h, source);
  }
}
