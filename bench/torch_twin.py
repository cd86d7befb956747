#!/usr/bin/python3
# torch_twin.py — the PyTorch twin of Trendcast's C Transformer
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Same architecture as src/core/tc-model.c: Linear patch embedding +
# learned positional (+ static) embeddings, L pre-LayerNorm encoder layers
# (nn.TransformerEncoderLayer, norm_first=True, exact-erf GELU), final
# LayerNorm on the last n_future tokens, Linear head to P*Q, pinball loss,
# AdamW with decay on weight matrices only, global norm clipping and a
# warm-up + cosine schedule.
#
#   bench:    torch_twin.py [--d-model 64 ...] prints one JSON line with the
#             train and infer windows/s, best over torch.set_num_threads 1, 2.
#   compare:  torch_twin.py --compare DIR loads DIR/model.tcmodel, DIR/x.bin
#             and DIR/out.bin written by `trendcast-cli bench --export DIR`,
#             runs the twin on the same input with the same weights and
#             prints the largest difference of the forecasts.
#
# Run with Debian's python3 (/usr/bin/python3), which has python3-torch.

import argparse
import json
import math
import struct
import sys
import time

import torch
import torch.nn as nn


class Twin(nn.Module):
    def __init__(self, P, F, N, NF, d, h, L, dff, Q, dropout, cards=()):
        super().__init__()
        self.P, self.N, self.NF, self.Q = P, N, NF, Q
        self.emb = nn.Linear(P * F, d)
        self.pos = nn.Parameter(torch.randn(N, d) * 0.02)
        self.stat = nn.ModuleList(nn.Embedding(c, d) for c in cards)
        layer = nn.TransformerEncoderLayer(d, h, dff, dropout, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, L, enable_nested_tensor=False)
        self.lnf = nn.LayerNorm(d)
        self.head = nn.Linear(d, P * Q)

    def forward(self, x, stat=None):
        B = x.shape[0]
        z = self.emb(x) + self.pos
        for i, e in enumerate(self.stat):
            z = z + e(stat[:, i])[:, None, :]
        z = self.enc(z)
        z = self.lnf(z[:, -self.NF:])
        return self.head(z).reshape(B, self.NF * self.P, self.Q)

    def decay_groups(self, wd):
        mats = {id(self.emb.weight), id(self.head.weight)}
        for lay in self.enc.layers:
            mats |= {id(lay.self_attn.in_proj_weight), id(lay.self_attn.out_proj.weight),
                     id(lay.linear1.weight), id(lay.linear2.weight)}
        decay = [p for p in self.parameters() if id(p) in mats]
        other = [p for p in self.parameters() if id(p) not in mats]
        return [{"params": decay, "weight_decay": wd}, {"params": other, "weight_decay": 0.0}]


def pinball(pred, y, w, q):
    e = y[..., None] - pred
    loss = torch.maximum(q * e, (q - 1) * e).mean(-1)
    return (loss * w).sum() / w.sum()


def lr_lambda(warmup, total):
    def f(step):
        if step < warmup:
            return (step + 1) / warmup
        p = min(max((step - warmup) / max(total - warmup, 1), 0.0), 1.0)
        return 0.1 + 0.45 * (1 + math.cos(math.pi * p))
    return f


def measure(a, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    N = (a.context + a.horizon) // a.patch
    NF = a.horizon // a.patch
    model = Twin(a.patch, a.features, N, NF, a.d_model, a.heads, a.layers, a.d_ff,
                 a.quantiles, a.dropout)
    q = torch.tensor([(i + 1) / (a.quantiles + 1) for i in range(a.quantiles)])
    x = torch.randn(a.batch, N, a.patch * a.features)
    y = torch.randn(a.batch, a.horizon)
    w = torch.ones(a.batch, a.horizon)
    opt = torch.optim.AdamW(model.decay_groups(0.01), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(10, 1000000))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = pinball(model(x), y, w, q)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()

    model.train()
    for _ in range(2):
        step()
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < a.seconds:
        step()
        n += 1
    train = n * a.batch / (time.perf_counter() - t0)
    train_cpu = n * a.batch / (time.process_time() - c0)

    model.eval()
    with torch.no_grad():
        model(x)
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - t0 < a.seconds:
            model(x)
            n += 1
        infer = n * a.batch / (time.perf_counter() - t0)
        infer_cpu = n * a.batch / (time.process_time() - c0)
    return train, infer, train_cpu, infer_cpu


# --- Comparison with the C model ------------------------------------------

def read_tcmodel(path):
    data = open(path, "rb").read()
    assert data[:8] == b"TCMODEL\0", "not a Trendcast model file"
    version, words = struct.unpack_from("<II", data, 8)
    assert version == 1 and words == 29
    c = struct.unpack_from("<8If2I9fI8I", data, 16)
    cfg = dict(P=c[0], N=c[1], NF=c[2], F=c[3], d=c[4], h=c[5], L=c[6], dff=c[7],
               dropout=c[8], loss=c[9], Q=c[10], quantiles=list(c[11:11 + c[10]]),
               n_static=c[20], cards=list(c[21:21 + c[20]]))
    pos = 16 + 4 * words
    n_params, meta_len = struct.unpack_from("<QI", data, pos)
    pos += 12 + meta_len
    params = torch.frombuffer(bytearray(data[pos:pos + 4 * n_params]), dtype=torch.float32)
    return cfg, params


def load_into(model, cfg, flat):
    """Copies the C parameter buffer into the twin, in tc-model.c's layout order."""
    off = 0

    def take(t):
        nonlocal off
        n = t.numel()
        with torch.no_grad():
            t.copy_(flat[off:off + n].reshape(t.shape))
        off += n

    take(model.emb.weight)
    take(model.emb.bias)
    take(model.pos)
    for e in model.stat:
        take(e.weight)
    for lay in model.enc.layers:
        take(lay.norm1.weight)
        take(lay.norm1.bias)
        take(lay.self_attn.in_proj_weight)
        take(lay.self_attn.in_proj_bias)
        take(lay.self_attn.out_proj.weight)
        take(lay.self_attn.out_proj.bias)
        take(lay.norm2.weight)
        take(lay.norm2.bias)
        take(lay.linear1.weight)
        take(lay.linear1.bias)
        take(lay.linear2.weight)
        take(lay.linear2.bias)
    take(model.lnf.weight)
    take(model.lnf.bias)
    take(model.head.weight)
    take(model.head.bias)
    assert off == flat.numel(), (off, flat.numel())


def compare(directory):
    cfg, flat = read_tcmodel(f"{directory}/model.tcmodel")
    model = Twin(cfg["P"], cfg["F"], cfg["N"], cfg["NF"], cfg["d"], cfg["h"], cfg["L"],
                 cfg["dff"], cfg["Q"], 0.0, cfg["cards"])
    load_into(model, cfg, flat)
    H = cfg["NF"] * cfg["P"]
    x = torch.frombuffer(bytearray(open(f"{directory}/x.bin", "rb").read()), dtype=torch.float32)
    B = x.numel() // (cfg["N"] * cfg["P"] * cfg["F"])
    x = x.reshape(B, cfg["N"], cfg["P"] * cfg["F"])
    out_c = torch.frombuffer(bytearray(open(f"{directory}/out.bin", "rb").read()),
                             dtype=torch.float32).reshape(B, H, cfg["Q"])
    model.eval()
    with torch.no_grad():
        out_t = model(x)
    # Training-mode path (no fast path) as well, dropout is 0.
    model.train()
    with torch.no_grad():
        out_t2 = model(x)
    diff = (out_c - out_t).abs().max().item()
    diff2 = (out_c - out_t2).abs().max().item()
    scale = out_t.abs().max().item()
    print(json.dumps({"windows": B, "max_abs_diff_eval": diff, "max_abs_diff_train_path": diff2,
                      "max_abs_output": scale}))
    return 0 if max(diff, diff2) < 1e-4 * max(scale, 1.0) else 1


def main():
    p = argparse.ArgumentParser()
    for name, default in [("d-model", 64), ("heads", 4), ("layers", 3), ("d-ff", 256),
                          ("patch", 7), ("context", 112), ("horizon", 28), ("features", 6),
                          ("quantiles", 3), ("batch", 64)]:
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--threads", type=int, nargs="*", default=[1, 2])
    p.add_argument("--compare", metavar="DIR")
    a = p.parse_args()
    if a.compare:
        return compare(a.compare)

    results = {t: measure(a, t) for t in a.threads}
    best_train = max(r[0] for r in results.values())
    best_infer = max(r[1] for r in results.values())
    print(json.dumps({
        "torch": torch.__version__, "d_model": a.d_model, "heads": a.heads, "layers": a.layers,
        "d_ff": a.d_ff, "patch": a.patch, "context": a.context, "horizon": a.horizon,
        "features": a.features, "quantiles": a.quantiles, "batch": a.batch, "dropout": a.dropout,
        "by_threads": {str(t): {"train_windows_per_s": round(r[0], 1),
                                "infer_windows_per_s": round(r[1], 1),
                                "train_windows_per_cpu_s": round(r[2], 1),
                                "infer_windows_per_cpu_s": round(r[3], 1)}
                       for t, r in results.items()},
        "train_windows_per_s": round(best_train, 1), "infer_windows_per_s": round(best_infer, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
