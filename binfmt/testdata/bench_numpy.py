"""numpy's frombuffer * gain on the bytes BenchmarkPhysicalRatio reads.

Run with Debian's python3-numpy, OpenBLAS left to its defaults:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 binfmt/testdata/bench_numpy.py [file.wav ...]

It builds the same synthetic hour of 256 Hz ECG (sample i is int16(i*31 - 1000))
and the same 100,000 .hxd records as binfmt's benchmarks, and times, best of 7
runs of 10: the physical values (frombuffer * gain, a new array per call as
a numpy user writes it), and values plus times (dt_offset + i/rate, or
offset/256) written into arrays allocated once with out=, as the Go reader
fills the caller's slices (a fresh 7 MB array per call costs numpy page
faults that dominate the times; the index array i is made once, outside
the timing). Each WAV named on the command line (a
mono 16-bit file, signed, gain taken from GAINS by file name) is timed too.
Throughput is in MB/s of file input, as the Go benchmark reports it.
"""

import os
import sys
import timeit

import numpy as np

GAINS = {"ECG_I": 0.0064, "acceleration_X": 1 / 256, "acceleration_Y": 1 / 256, "acceleration_Z": 1 / 256}


def wav_header(rate, data_size):
    le = lambda v, n: int(v).to_bytes(n, "little")
    return (b"RIFF" + le(36 + data_size, 4) + b"WAVEfmt " + le(16, 4) + le(1, 2) + le(1, 2)
            + le(rate, 4) + le(rate * 2, 4) + le(2, 2) + le(16, 2) + b"data" + le(data_size, 4))


def best(stmt, number=10):
    return min(timeit.repeat(stmt, number=number, repeat=7)) / number


def report(name, nbytes, values, both):
    print(f"{name:28s} values {nbytes / values / 1e6:9.0f} MB/s   values+times {nbytes / both / 1e6:9.0f} MB/s")


def bench_wav(name, data, gain, rate, offset=0.0):
    n = (len(data) - 44) // 2
    values = best(lambda: np.frombuffer(data, "<i2", offset=44) * gain)
    idx = np.arange(n, dtype=np.float64)
    v, t = np.empty(n), np.empty(n)

    def both_into():
        np.multiply(np.frombuffer(data, "<i2", offset=44), gain, out=v)
        np.divide(idx, rate, out=t)
        np.add(t, offset, out=t)

    report(name, 2 * n, values, best(both_into))


def main():
    print("numpy", np.__version__)
    n = 3600 * 256
    pcm = (np.arange(n, dtype=np.int64) * 31 - 1000).astype(np.int16).astype("<i2").tobytes()
    bench_wav("wav (synthetic 1 h ECG)", wav_header(256, len(pcm)) + pcm, 0.0064, 256)

    k = 100_000
    rec = np.zeros(k, dtype=[("off", "<u8"), ("val", "<i8")])
    rec["off"] = np.arange(k, dtype=np.uint64) * 200
    rec["val"] = 180 + np.arange(k) % 40
    hxd = rec.tobytes()
    dt = np.dtype([("off", "<u8"), ("val", "<i8")])
    values = best(lambda: np.frombuffer(hxd, dt)["val"] * (1 / 256))
    v, t = np.empty(k), np.empty(k)

    def both_into():
        r = np.frombuffer(hxd, dt)
        np.multiply(r["val"], 1 / 256, out=v)
        np.divide(r["off"], 256, out=t)

    both = best(both_into)
    report("hxd (100,000 RR records)", len(hxd), values, both)

    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            data = f.read()
        name = os.path.splitext(os.path.basename(path))[0]
        rate = int.from_bytes(data[24:28], "little")
        bench_wav(f"real {name}", data, GAINS.get(name, 1.0), rate)


if __name__ == "__main__":
    main()
