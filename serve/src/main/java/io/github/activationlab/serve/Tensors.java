package io.github.activationlab.serve;

import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * {@link TensorValue} to and from TensorFlow Java's tensors, in bulk copies. The dtypes are those
 * the REST API converts from and to JSON: float, double, int32, uint8, int64, bool and string.
 */
final class Tensors {
  private Tensors() {}

  /** A new tensor (the caller closes it) holding {@code v}. */
  static Tensor of(TensorValue v) {
    Shape shape = Shape.of(v.shape());
    Tensor t;
    switch (v.dtype()) {
      case DT_FLOAT -> {
        t = TFloat32.tensorOf(shape);
        t.asRawTensor().data().asFloats().write((float[]) v.data());
      }
      case DT_DOUBLE -> {
        t = TFloat64.tensorOf(shape);
        t.asRawTensor().data().asDoubles().write((double[]) v.data());
      }
      case DT_INT32 -> {
        t = TInt32.tensorOf(shape);
        t.asRawTensor().data().asInts().write((int[]) v.data());
      }
      case DT_UINT8 -> {
        int[] src = (int[]) v.data();
        byte[] b = new byte[src.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) src[i];
        t = TUint8.tensorOf(shape);
        t.asRawTensor().data().write(b);
      }
      case DT_INT64 -> {
        t = TInt64.tensorOf(shape);
        t.asRawTensor().data().asLongs().write((long[]) v.data());
      }
      case DT_BOOL -> {
        t = TBool.tensorOf(shape);
        t.asRawTensor().data().asBooleans().write((boolean[]) v.data());
      }
      case DT_STRING ->
          t = TString.tensorOfBytes(shape, DataBuffers.ofObjects((byte[][]) v.data()));
      default ->
          throw new ServeException(
              ServeException.Code.UNIMPLEMENTED,
              "Conversion to type: " + v.dtypeName() + " is not supported");
    }
    return t;
  }

  /** The values of {@code t}, copied out (so that {@code t} can be closed). */
  static TensorValue value(Tensor t) {
    long[] shape = t.shape().asArray();
    if (shape == null) shape = new long[0];
    int n = (int) t.shape().size();
    DataType dtype = t.dataType();
    RawTensor raw = t.asRawTensor();
    Object data;
    switch (dtype) {
      case DT_FLOAT -> {
        float[] a = new float[n];
        raw.data().asFloats().read(a);
        data = a;
      }
      case DT_DOUBLE -> {
        double[] a = new double[n];
        raw.data().asDoubles().read(a);
        data = a;
      }
      case DT_INT32 -> {
        int[] a = new int[n];
        raw.data().asInts().read(a);
        data = a;
      }
      case DT_UINT8 -> {
        byte[] b = new byte[n];
        raw.data().read(b);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = b[i] & 0xFF;
        data = a;
      }
      case DT_INT64 -> {
        long[] a = new long[n];
        raw.data().asLongs().read(a);
        data = a;
      }
      case DT_BOOL -> {
        boolean[] a = new boolean[n];
        raw.data().asBooleans().read(a);
        data = a;
      }
      case DT_STRING -> {
        DataBuffer<byte[]> b = DataBuffers.ofObjects(byte[].class, n);
        ((TString) t).asBytes().copyTo(org.tensorflow.ndarray.NdArrays.wrap(t.shape(), b));
        byte[][] a = new byte[n][];
        for (int i = 0; i < n; i++) a[i] = b.getObject(i);
        data = a;
      }
      default -> data = null; // written as TensorFlow Serving's "Failed to write JSON value"
    }
    return new TensorValue(dtype, shape, data == null ? new float[0] : data);
  }
}
