#!/usr/bin/python3
"""Times the official Wan 2.2 DiT (`wan/modules/model.py` of Wan-Video/Wan2.2) on the CPU at the shapes of
`./svi bench dit`, then runs `./svi bench dit` with the same shapes and prints the ratio of the two per-forward times.

Random weights (normal, std 0.02, as `./svi bench dit` draws them): the numbers measure compute only.

The official code is not part of this repository: pass the root of a checkout of Wan-Video/Wan2.2 with --wan-repo (or
the WAN22_REPO environment variable). Only `wan/modules/model.py` is read. Nothing in it is edited; what a CPU-only
torch 1.13 lacks is supplied at run time, before the file is imported:
  * `diffusers` (ModelMixin, ConfigMixin, register_to_config) is replaced by plain stand-ins when it is not installed:
    the model only uses them for saving and loading configs;
  * `wan.modules.attention.flash_attention` (flash-attn, CUDA only) is replaced by `plain_attention` below: exact
    softmax attention, one head at a time, in bf16 like flash-attn (which only takes half types), or in fp32 for
    --dtype float32; torch 1.13 has no scaled_dot_product_attention;
  * `torch.amp.autocast('cuda', ...)` regions become CPU autocast regions: the official pipeline runs the DiT under
    autocast('cuda', bfloat16) with fp32 parameters (convert_model_dtype off, its default), and the model switches
    autocast off (or to fp32) around the time embedding, the modulation, RoPE and the head. With --dtype bfloat16 the
    forward runs under torch.autocast('cpu', bfloat16) and those regions under autocast disabled, which keeps them in
    fp32 exactly as on the GPU. With --dtype float32 there is no autocast at all.

Debian 12: apt-get install python3-torch libopenblas0-pthread python3-threadpoolctl (the alternatives system then points
libblas.so.3 at OpenBLAS; the script refuses to run on the reference BLAS unless --allow-reference-blas).
Run it with Debian's interpreter (/usr/bin/python3), which is the one python3-torch installs into.
"""
import argparse
import contextlib
import importlib.util
import math
import os
import re
import resource
import subprocess
import sys
import time
import types

import torch

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORIGINAL_AUTOCAST = torch.autocast


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--wan-repo", default=os.environ.get("WAN22_REPO"),
                   help="root of a Wan-Video/Wan2.2 checkout (holds wan/modules/model.py); default $WAN22_REPO")
    # Defaults: the A14B image-to-video expert, as in ./svi bench dit.
    p.add_argument("--dim", type=int, default=5120)
    p.add_argument("--ffn", type=int, default=13824)
    p.add_argument("--heads", type=int, default=40)
    p.add_argument("--layers", type=int, default=40)
    p.add_argument("--latent-frames", type=int, default=21)
    p.add_argument("--resolution", default="832x480")
    p.add_argument("--dtype", choices=["bfloat16", "float32"], default="bfloat16")
    p.add_argument("--iterations", type=int, default=3, help="timed forwards per round, after one untimed warm-up")
    p.add_argument("--rounds", type=int, default=1,
                   help="alternate reference and ./svi bench dit this many times (interleaved runs even out the load)")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads (libtorch's default is every core)")
    p.add_argument("--no-svi", action="store_true", help="time the reference only")
    p.add_argument("--allow-reference-blas", action="store_true")
    return p.parse_args()


def blas_in_use():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [(i.get("internal_api"), i.get("filepath")) for i in threadpool_info() if i.get("user_api") == "blas"]


def install_stand_ins(compute_dtype):
    """What model.py imports but a CPU-only torch 1.13 without diffusers lacks (see the module docstring)."""
    try:
        import diffusers.configuration_utils  # noqa: F401
        import diffusers.models.modeling_utils  # noqa: F401
    except ImportError:
        configuration_utils = types.ModuleType("diffusers.configuration_utils")
        configuration_utils.ConfigMixin = type("ConfigMixin", (), {})
        configuration_utils.register_to_config = lambda init: init
        modeling_utils = types.ModuleType("diffusers.models.modeling_utils")
        modeling_utils.ModelMixin = torch.nn.Module
        models = types.ModuleType("diffusers.models")
        models.modeling_utils = modeling_utils
        diffusers = types.ModuleType("diffusers")
        diffusers.configuration_utils, diffusers.models = configuration_utils, models
        sys.modules.update({"diffusers": diffusers, "diffusers.configuration_utils": configuration_utils,
                            "diffusers.models": models, "diffusers.models.modeling_utils": modeling_utils})

    def plain_attention(q, k, v, q_lens=None, k_lens=None, dropout_p=0., softmax_scale=None, q_scale=None,
                        causal=False, window_size=(-1, -1), deterministic=False, dtype=torch.bfloat16, version=None):
        # q: [B, Lq, N, D], k/v: [B, Lk, N, D] → [B, Lq, N, D] in q's dtype. The benchmark never pads (seq_len = tokens,
        # context = text_len rows), so lengths, if given, are the full lengths and need no mask.
        assert not causal and tuple(window_size) == (-1, -1) and q_scale is None
        b, lq, n, d = q.shape
        out_dtype = q.dtype
        with ORIGINAL_AUTOCAST("cpu", enabled=False):
            q, k, v = (t.to(compute_dtype).transpose(1, 2) for t in (q, k, v))
            scale = softmax_scale if softmax_scale is not None else 1 / math.sqrt(d)
            out = torch.empty(b, n, lq, v.shape[-1], dtype=compute_dtype)
            for h in range(n):
                scores = torch.matmul(q[:, h], k[:, h].transpose(-1, -2)).mul_(scale)
                out[:, h] = torch.matmul(scores.softmax(-1), v[:, h])
                del scores
        return out.transpose(1, 2).to(out_dtype)

    wan = types.ModuleType("wan")
    wan.__path__ = []
    modules = types.ModuleType("wan.modules")
    modules.__path__ = []
    attention = types.ModuleType("wan.modules.attention")
    attention.flash_attention = plain_attention
    sys.modules.update({"wan": wan, "wan.modules": modules, "wan.modules.attention": attention})

    def cpu_autocast(device_type, dtype=None, enabled=True, cache_enabled=None):
        # The model's own regions: off, or fp32, become autocast disabled; a bf16 region stays bf16.
        active = compute_dtype == torch.bfloat16 and enabled and dtype in (None, torch.bfloat16)
        return ORIGINAL_AUTOCAST("cpu", dtype=torch.bfloat16, enabled=active)

    torch.amp.autocast = cpu_autocast


def load_official_model(wan_repo):
    path = os.path.join(wan_repo, "wan", "modules", "model.py")
    if not os.path.isfile(path):
        sys.exit(f"error: {path} not found; --wan-repo must be the root of a Wan-Video/Wan2.2 checkout")
    spec = importlib.util.spec_from_file_location("wan.modules.model", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["wan.modules.model"] = module
    spec.loader.exec_module(module)
    return module


def time_reference(model_module, args, compute_dtype, width, height):
    torch.manual_seed(0)
    model = model_module.WanModel(model_type="i2v", patch_size=(1, 2, 2), text_len=512, in_dim=36, dim=args.dim,
                                  ffn_dim=args.ffn, freq_dim=256, text_dim=4096, out_dim=16, num_heads=args.heads,
                                  num_layers=args.layers, qk_norm=True, cross_attn_norm=True, eps=1e-6).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0, 0.02)
    frames, lat_h, lat_w = args.latent_frames, height // 8, width // 8
    tokens = frames * (lat_h // 2) * (lat_w // 2)
    noise = torch.randn(16, frames, lat_h, lat_w)
    condition = torch.randn(20, frames, lat_h, lat_w)  # mask (4) and image latent (16), as I2V concatenates them
    t = torch.tensor([900.0])
    context = torch.randn(512, 4096) * 0.1
    outer = ORIGINAL_AUTOCAST("cpu", dtype=torch.bfloat16) if compute_dtype == torch.bfloat16 else contextlib.nullcontext()

    def forward():
        with torch.no_grad(), outer:
            return model([noise], t, [context], tokens, y=[condition])[0]

    return forward, tokens


def run_svi(args):
    command = [os.path.join(REPO_ROOT, "svi"), "bench", "dit", "--dim", str(args.dim), "--ffn", str(args.ffn),
               "--heads", str(args.heads), "--layers", str(args.layers), "--latent-frames", str(args.latent_frames),
               "--resolution", args.resolution, "--dtype", args.dtype, "--iterations", str(args.iterations)]
    print("$ ./svi " + " ".join(command[1:]), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    print(result.stdout, end="", flush=True)
    best = re.search(r"best (\d+) ms", result.stdout)
    if best is None:
        sys.exit("error: could not read the time from ./svi bench dit's output")
    return float(best.group(1))


def main():
    args = parse_args()
    if not args.wan_repo:
        sys.exit("error: give the Wan2.2 checkout with --wan-repo PATH or WAN22_REPO=PATH (see bench/README.md)")
    width, height = (int(v) for v in args.resolution.split("x"))
    compute_dtype = torch.bfloat16 if args.dtype == "bfloat16" else torch.float32
    torch.set_num_threads(args.threads)
    blas = blas_in_use()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {blas if blas is not None else 'unknown (no threadpoolctl)'}")
    if blas is not None and not any(api == "openblas" for api, _ in blas) and not args.allow_reference_blas:
        sys.exit("error: torch is not using OpenBLAS; install libopenblas0-pthread (update-alternatives --config "
                 "libblas.so.3-x86_64-linux-gnu) or pass --allow-reference-blas")
    install_stand_ins(compute_dtype)
    model_module = load_official_model(args.wan_repo)
    forward, tokens = time_reference(model_module, args, compute_dtype, width, height)
    print(f"reference Wan 2.2 model.py from {args.wan_repo}: dim {args.dim}, ffn {args.ffn}, {args.heads} heads, "
          f"{args.layers} layers; {tokens} tokens; {args.dtype}")

    reference, ours = [], []
    for round_index in range(args.rounds):
        for i in range(args.iterations + (1 if round_index == 0 else 0)):
            start = time.perf_counter()
            out = forward()
            elapsed = (time.perf_counter() - start) * 1000
            warm_up = round_index == 0 and i == 0
            if not warm_up:
                reference.append(elapsed)
            print(f"  reference {'warm-up' if warm_up else 'run'}: {elapsed:.0f} ms, output {tuple(out.shape)}", flush=True)
            del out
        if not args.no_svi:
            ours.append(run_svi(args))
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reference: best {min(reference):.0f} ms, mean {sum(reference) / len(reference):.0f} ms, peak RSS {peak_rss:.0f} MiB")
    if ours:
        print(f"svi: best {min(ours):.0f} ms over {len(ours)} round(s)")
        print(f"ratio svi / reference (best per forward): {min(ours) / min(reference):.2f}")


if __name__ == "__main__":
    main()
