"""Times the official Wan 2.2 DiT forward (wan/modules/model.py of a Wan-Video/Wan2.2 checkout) on random weights.

usage: python3 wan_reference.py --wan PATH_TO_Wan2.2 [--resolution 832x480] [--latent-frames 21] [--iterations 3]

The I2V-A14B expert's published config (dim 5120, ffn 13824, 40 heads, 40 blocks, 36 input channels), built on the
GPU in bf16 and run under bf16 autocast as the official generate script runs it, at the shapes `svi bench dit` times:
one forward of one expert, no CFG, timestep 900. Nothing is downloaded. Where the machine lacks the official code's
optional packages, the smallest stand-ins are used and printed: diffusers' ModelMixin/ConfigMixin (plain
torch.nn.Module; no behaviour of the forward depends on them) and flash-attn (the checkout's own attention() fallback,
torch's scaled_dot_product_attention).
"""
import argparse
import sys
import time
import types

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--wan", required=True)
parser.add_argument("--resolution", default="832x480")
parser.add_argument("--latent-frames", type=int, default=21)
parser.add_argument("--iterations", type=int, default=3)
args = parser.parse_args()
sys.path.insert(0, args.wan)

try:
    import diffusers  # noqa: F401
except ImportError:
    print("stand-in: diffusers is not installed; ModelMixin/ConfigMixin are plain nn.Module/object")
    configuration = types.ModuleType("diffusers.configuration_utils")
    configuration.ConfigMixin = object
    configuration.register_to_config = lambda init: init
    modeling = types.ModuleType("diffusers.models.modeling_utils")
    modeling.ModelMixin = torch.nn.Module
    sys.modules.update({"diffusers": types.ModuleType("diffusers"), "diffusers.configuration_utils": configuration,
                        "diffusers.models": types.ModuleType("diffusers.models"), "diffusers.models.modeling_utils": modeling})

import wan.modules.attention as attention  # noqa: E402
import wan.modules.model as model  # noqa: E402

if not (getattr(attention, "FLASH_ATTN_2_AVAILABLE", False) or getattr(attention, "FLASH_ATTN_3_AVAILABLE", False)):
    print("stand-in: flash-attn is not installed; attention() falls back to scaled_dot_product_attention")
    model.flash_attention = attention.attention

width, height = (int(v) for v in args.resolution.split("x"))
frames, h, w = args.latent_frames, height // 8, width // 8
device = torch.device("cuda")
torch.set_default_device(device)
torch.set_default_dtype(torch.bfloat16)
with torch.no_grad():
    net = model.WanModel(model_type="i2v", patch_size=(1, 2, 2), text_len=512, in_dim=36, dim=5120, ffn_dim=13824,
                         freq_dim=256, text_dim=4096, out_dim=16, num_heads=40, num_layers=40, qk_norm=True,
                         cross_attn_norm=True, eps=1e-6).eval().requires_grad_(False)
torch.set_default_dtype(torch.float32)
x = [torch.randn(16, frames, h, w, device=device)]
y = [torch.randn(20, frames, h, w, device=device)]
context = [torch.randn(512, 4096, device=device) * 0.1]
t = torch.tensor([900.0], device=device)
seq_len = frames * (h // 2) * (w // 2)
print(f"reference: Wan 2.2 WanModel i2v A14B, {seq_len} tokens ({frames}x{h // 2}x{w // 2}), bf16, {torch.cuda.get_device_name()}")

timings = []
for i in range(args.iterations + 1):
    torch.cuda.synchronize()
    start = time.perf_counter()
    with torch.no_grad(), torch.amp.autocast("cuda", dtype=torch.bfloat16):
        out = net(x, t=t, context=context, seq_len=seq_len, y=y)
    torch.cuda.synchronize()
    elapsed = (time.perf_counter() - start) * 1000
    del out
    if i > 0:
        timings.append(elapsed)
    print(f"  {'warm-up' if i == 0 else f'run {i}'}: {elapsed:.0f} ms")
print(f"reference best {min(timings):.0f} ms, mean {sum(timings) / len(timings):.0f} ms, "
      f"peak allocated {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")
