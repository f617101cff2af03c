// Image layers inside nn.sequential: sizes flow across conv -> pool -> flatten -> linear at compile time.
import { nn, zeros, type Tensor } from '../../src/index.js';

const cnn = nn.sequential(
  nn.unflatten([1, 28, 28]),
  nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.conv2d(32, 64, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
);
export const logits: Tensor<[64, 10]> = cnn.apply(cnn.init(null as never), zeros([64, 784]));

// A member that does not fit is reported at that member (not at the first).
nn.sequential(
  nn.unflatten([1, 28, 28]),
  nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.conv2d(32, 64, 3), nn.relu, nn.maxPool2d(2),
  // @expect-error sequential: layer 8 takes [3136] but layer 7 gives [2304]
  nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
);
// @expect-error sequential: layer 1 takes [3,?,?] but layer 0 gives [1,28,28]
nn.sequential(nn.unflatten([1, 28, 28]), nn.conv2d(3, 32, 3));
// @expect-error sequential: layer 1: conv2d: kernel larger than padded input: [1,1,4,4] x [32,1,5,5]
nn.sequential(nn.unflatten([1, 4, 4]), nn.conv2d(1, 32, 5));
const conv = nn.conv2d(1, 32, 3, { padding: 1 });
export const y: Tensor<[64, 32, 28, 28]> = conv.apply(conv.init(null as never), zeros([64, 1, 28, 28]));
// @expect-error conv2d: channels differ: input [1,3,28,28] x weights [32,1,3,3] (groups 1)
conv.apply(conv.init(null as never), zeros([64, 3, 28, 28]));
