"""NumPy's side of bench/io.ts: np.save / np.load of float32 arrays of the given sizes, median MB/s.

    /usr/bin/python3 bench/io_numpy.py DIR SIZE[,SIZE...] REPEATS
"""
import json
import os
import statistics
import sys
import time

import numpy as np

folder, sizes, repeats = sys.argv[1], [int(s) for s in sys.argv[2].split(',')], int(sys.argv[3])
out = {}
for n in sizes:
    a = np.arange(n, dtype=np.float32)
    path = os.path.join(folder, f'np-{n}.npy')
    saves, loads = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        np.save(path, a)
        saves.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = np.load(path)
        loads.append(time.perf_counter() - t)
        assert b.shape == a.shape
    os.remove(path)
    mb = a.nbytes / 1e6
    out[str(n)] = {'save': mb / statistics.median(saves), 'load': mb / statistics.median(loads)}
print(json.dumps(out))
