"""Loads the logistic regression trained by examples/pytorch-weights.ts into PyTorch.

    npx tsx examples/pytorch-weights.ts --out /tmp/logreg.safetensors
    /usr/bin/python3 examples/pytorch-weights.py /tmp/logreg.safetensors

With the `safetensors` package (PyTorch 2.x), reading the file is one line:
`state = safetensors.torch.load_file(path)`. PyTorch 1.13 has no such
package, so `load_safetensors` below reads the format by hand: an 8-byte
little-endian header length, a JSON header, then the raw little-endian bytes.

Prints the test accuracy PyTorch gets with typegrad's weights and the largest
difference from typegrad's own predictions, as JSON.
"""
import json
import struct
import sys

import numpy as np
import torch

DTYPES = {'F32': '<f4', 'F64': '<f8', 'I32': '<i4', 'BOOL': '|b1'}


def load_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    header.pop('__metadata__', None)
    state = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        array = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=DTYPES[info['dtype']]).reshape(info['shape'])
        state[name] = torch.from_numpy(array.copy())
    return state


class LogisticRegression(torch.nn.Module):
    """The PyTorch tutorial's model: a linear layer 30 -> 1 and a sigmoid."""

    def __init__(self, n_input_features):
        super().__init__()
        self.linear = torch.nn.Linear(n_input_features, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


path = sys.argv[1]
model = LogisticRegression(30)
model.load_state_dict(load_safetensors(path))  # strict: every name and shape must match

# The standardised test set and typegrad's predictions, written next to the model.
test = np.load(path.replace('.safetensors', '.test.npz'))
x = torch.from_numpy(test['x'])
with torch.no_grad():
    p = model(x).squeeze(1).numpy()
accuracy = float(((p >= 0.5) == (test['y'] == 1)).mean())
print(json.dumps({'accuracy': accuracy, 'max_abs_diff': float(np.abs(p - test['p']).max())}))
