#!/usr/bin/env python3
"""Writes reference.safetensors and reference.json with the Python `safetensors` package.

The Swift reader must decode reference.safetensors to exactly the values in reference.json.
Run from this directory with `pip install safetensors numpy` (tested with safetensors 0.8.0):
    python3 make_reference.py            # regenerate the fixtures
    python3 make_reference.py check F    # read a Swift-written file F and print what it holds
"""
import json
import sys

import numpy as np
import safetensors
from safetensors import TensorSpec, serialize, safe_open

METADATA = {"format": "pt", "ss_network_dim": "4", "note": "quote \" backslash \\ unicode é"}


def tensors():
    f32 = np.array([[1.0, -2.5, 3.25], [0.1, -0.0, np.float32(1e-40)]], dtype=np.float32)
    f16 = np.array([1.0, -2.0, 65504.0, 6.1e-5, 5.96e-8, np.inf, -np.inf, 0.333], dtype=np.float16)
    bf16_source = np.array([[1.0, -3.140625], [1e30, 0.007]], dtype=np.float32)
    bf16_bits = (bf16_source.view(np.uint32) >> 16).astype(np.uint16)  # truncation: exact in bf16 anyway
    return {
        "a.f32": f32,
        "b.f16": f16,
        "c.bf16": ("bfloat16", bf16_bits),
        "d.i64": np.array([[0, -1], [2**62, -(2**63)]], dtype=np.int64),
        "e.f64": np.array([1.5, -1e-300], dtype=np.float64),
        "f.i32": np.array([7, -7, 2**31 - 1], dtype=np.int32),
        "g.u8": np.array([0, 255], dtype=np.uint8),
        "h.bool": np.array([True, False, True], dtype=np.bool_),
        "i.scalar": np.array(42.0, dtype=np.float32),
        "j.empty": np.zeros((0, 3), dtype=np.float32),
    }


def float_bits(name, value):
    """The float32 bit patterns the reader's floats(_:) must return, or None for non-float dtypes."""
    if isinstance(value, tuple):
        return [int(b) << 16 for b in value[1].reshape(-1)]
    if value.dtype.kind == "f":
        return [int(b) for b in value.astype(np.float32).reshape(-1).view(np.uint32)]
    return None


def generate():
    keep_alive = []
    specs = {}
    for name, value in tensors().items():
        dtype, array = value if isinstance(value, tuple) else (str(value.dtype), value)
        array = np.require(array, requirements="C")
        keep_alive.append(array)
        specs[name] = TensorSpec(dtype=dtype, shape=list(array.shape), data_ptr=array.ctypes.data, data_len=array.nbytes)
    data = serialize(specs, metadata=METADATA)
    with open("reference.safetensors", "wb") as f:
        f.write(data)
    expected = {"safetensors_version": safetensors.__version__, "metadata": METADATA, "tensors": {}}
    for name, value in tensors().items():
        array = value[1] if isinstance(value, tuple) else value
        expected["tensors"][name] = {
            "shape": list(array.shape),
            "hex": np.require(array, requirements="C").tobytes().hex(),
            "float_bits": float_bits(name, value),
        }
    with open("reference.json", "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"wrote reference.safetensors ({len(data)} bytes) and reference.json")


def check(path):
    with safe_open(path, framework="numpy") as f:
        print("metadata:", f.metadata())
        for name in f.keys():
            print(name, f.get_slice(name).get_dtype(), f.get_slice(name).get_shape(), f.get_tensor(name).reshape(-1).tolist() if f.get_slice(name).get_dtype() != "BF16" else "(bf16)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        generate()
