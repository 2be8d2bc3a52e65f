// Tensors in shader storage buffers: channels x height x width floats, channel-major (CHW), row 0 = top; the layout
// of org.reconview.nn.Tensor, so buffers move between the CPU golden model and the GPU without reordering.
#define AT(c, y, x, h, w) (((c) * (h) + (y)) * (w) + (x))
