#!/usr/bin/env bash
# GPU proof kit (issue 18): times SVI Server's published build on random weights, with nothing to download.
#   bench/gpu/run.sh [--device cuda|cpu] [--architecture a14b|tiny] [--out DIR] [--only dit,vae,clip,reference]
# On the GPU (defaults: --device cuda --architecture a14b), for the bf16 and fp8 variants: one DiT forward at 480p and
# at 720p; one VAE decode of a 480p clip; one whole 480p clip with the distilled recipe under each memory plan
# (all-resident, expert-swap, block-swap); peak GPU memory of every step (nvidia-smi, sampled every 0.2 s); and, when
# python3 has PyTorch and a Wan 2.2 checkout is in bench/gpu/reference/Wan2.2, the official PyTorch DiT forward at the
# same shapes, with the ratio. With --device cpu (CI, `./svi test`) the same steps run on the tiny architecture, the
# VAE on 2 latent frames and without the whole clip (the HTTP tests render whole tiny clips) unless --only names it.
# --only splits the kit over several device calls (each call has at most 10 minutes).
# The build: $SVI_BIN (a command), else bench/gpu/publish/svi (bench/gpu/publish.sh makes it). How to run it on a lent
# GPU, and what was measured, is in bench/README.md and bench/RESULTS.md. Random weights: timings measure compute only.
set -euo pipefail
KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
device=cuda architecture="" out="${OUT:-$KIT/out}" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device="$2"; shift 2 ;;
    --architecture) architecture="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --only) only=",$2,"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$device" in cpu|cuda|cuda:*) ;; *) echo "run.sh: --device must be cpu or cuda; got '$device'" >&2; exit 2 ;; esac
[ -n "$architecture" ] || architecture=$([ "$device" = cpu ] && echo tiny || echo a14b)
[ -n "$only" ] || only=$([ "$device" = cpu ] && echo ",dit,vae,reference," || echo ",dit,vae,clip,reference,")
wants() { [[ "$only" == *",$1,"* ]]; }
mkdir -p "$out"
log="$out/gpu-kit.log" summary="$out/summary.txt"
# The anchor image, the clips (noise, about 11 MB each at 480p) and their work folders stay out of --out: a device call
# returns at most 8 files from $OUT, none below its second folder level.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
: >"$log"; : >"$summary"

read -r -a svi <<<"${SVI_BIN:-$KIT/publish/svi}"
[ -x "${svi[0]}" ] || command -v "${svi[0]}" >/dev/null ||
  { echo "run.sh: no build at ${svi[0]}: run bench/gpu/publish.sh first, or set SVI_BIN" >&2; exit 2; }

if [ "$device" != cpu ]; then
  # TorchSharp binds to the libtorch it finds: the machine's PyTorch (with its CUDA libraries) when the build carries
  # none (bench/gpu/publish.sh publishes without libtorch, which is far over the 64 MiB a device run can carry).
  if torch_lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null); then
    export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "libtorch: $torch_lib (PyTorch $(python3 -c 'import torch; print(torch.__version__)'))" | tee -a "$summary"
  fi
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee -a "$summary"
fi

# step NAME COMMAND...: runs one step, keeps its output in the log, its wall time and peak GPU memory in the summary.
step() {
  local name="$1"; shift
  local sampler="" peak_file="$scratch/peak" status=0 started ended
  echo 0 >"$peak_file"
  if [ "$device" != cpu ] && command -v nvidia-smi >/dev/null; then
    ( peak=0; while sleep 0.2; do
        used=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1 | tr -d ' ')
        [ "${used:-0}" -gt "$peak" ] && { peak=$used; echo "$peak" >"$peak_file"; }
      done ) & sampler=$!
  fi
  step_line=$(wc -l <"$log")
  echo "=== $name: $*" >>"$log"
  started=$(date +%s.%N)
  "$@" >>"$log" 2>&1 || status=$?
  ended=$(date +%s.%N)
  [ -n "$sampler" ] && { kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; }
  local result
  result=$(awk -v s="$started" -v e="$ended" 'BEGIN { printf "%.1f s", e - s }')
  [ "$device" != cpu ] && result="$result, peak GPU memory $(cat "$peak_file") MiB"
  [ $status -eq 0 ] || result="$result, FAILED (exit $status; see $log)"
  echo "$name: $result" | tee -a "$summary"
  return 0
}

# last PATTERN: the last line of the latest step's output that matches it (a bench's own result line), or a dash.
step_line=0
last() { tail -n +"$((step_line + 1))" "$log" | grep -E "$1" | tail -1 || echo "-"; }

latent_frames=21 iterations=3 vae_frames=21 sizes=(832x480 1280x720)
[ "$device" = cpu ] && { iterations=1; vae_frames=2; }
if [ "$architecture" = tiny ]; then
  # Tiny's 4x4 patches tile the 480p latent grid (104x60) but not the 720p one (160x90).
  sizes=(832x480)
  wants dit && echo "DiT forward tiny 1280x720: not run (tiny's 4x4 patches do not tile the 160x90 latent grid)" | tee -a "$summary"
fi
wants dit && for variant in bf16 fp8; do
  for size in "${sizes[@]}"; do
    step "DiT forward $architecture $variant $size" "${svi[@]}" bench dit --weights random --architecture "$architecture" \
      --variant "$variant" --resolution "$size" --latent-frames "$latent_frames" --device "$device" --iterations "$iterations"
    echo "  $(last '^best ')" | tee -a "$summary"
  done
done
if wants vae; then
  step "VAE decode $architecture 832x480 ($vae_frames latent frames)" "${svi[@]}" bench vae --weights random \
    --architecture "$architecture" --latent-frames "$vae_frames" --device "$device"
  echo "  $(last '^best ')" | tee -a "$summary"
fi

if wants clip; then
  if ! command -v ffmpeg >/dev/null; then
    echo "whole clip: skipped (no ffmpeg on this machine; the clip's MP4 needs it)" | tee -a "$summary"
  else
    python3 - "$scratch/anchor.ppm" <<'PY' 2>/dev/null || printf 'P6\n832 480\n255\n' >"$scratch/anchor.ppm"
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"P6\n832 480\n255\n" + bytes((x * 3 + y) % 256 for y in range(480) for x in range(832 * 3)))
PY
    ffmpeg -v error -y -i "$scratch/anchor.ppm" "$scratch/anchor.png"
    # Every memory plan in bf16; fp8 under the plan its smaller experts allow (all resident).
    runs=("bf16 auto")
    [ "$device" != cpu ] && runs=("bf16 all-resident" "bf16 expert-swap" "bf16 block-swap" "fp8 all-resident")
    for run in "${runs[@]}"; do
      read -r variant plan <<<"$run"
      step "whole 480p clip, distilled, $architecture $variant, memory plan $plan" env Svi__Inference__MemoryPlan="$plan" \
        Svi__Inference__Variant="$variant" "${svi[@]}" generate --weights random --architecture "$architecture" \
        --device "$device" --image "$scratch/anchor.png" --prompt "a lighthouse at dusk" --duration 5.0625 --seed 1 \
        --resolution 832x480 --output "$scratch/clip-$variant-$plan.mp4"
    done
  fi
fi

reference="$KIT/reference/Wan2.2"
if ! wants reference; then
  :
elif [ "$device" = cpu ]; then
  echo "PyTorch reference: skipped on the CPU (the comparison is a GPU measurement)" | tee -a "$summary"
elif ! python3 -c 'import torch' 2>/dev/null; then
  echo "PyTorch reference: skipped (python3 has no torch here)" | tee -a "$summary"
elif [ ! -f "$reference/wan/modules/model.py" ]; then
  echo "PyTorch reference: skipped (no Wan 2.2 checkout in $reference; see bench/README.md)" | tee -a "$summary"
else
  for size in 832x480 1280x720; do
    step "PyTorch Wan 2.2 DiT forward a14b bf16 $size" python3 "$KIT/wan_reference.py" --wan "$reference" \
      --resolution "$size" --latent-frames "$latent_frames" --iterations "$iterations"
    ours=$(grep -A12 -F "=== DiT forward $architecture bf16 $size" "$log" | grep -E '^best ' | head -1 | sed -E 's/^best ([0-9]+) ms.*/\1/')
    theirs=$(last '^reference best ' | sed -E 's/^reference best ([0-9]+) ms.*/\1/')
    echo "  $(last '^reference best ')" | tee -a "$summary"
    [ -n "$ours" ] && [ -n "$theirs" ] &&
      awk -v o="$ours" -v t="$theirs" -v s="$size" 'BEGIN { printf "  ratio SVI / PyTorch at %s: %.2f (%d ms / %d ms)\n", s, o / t, o, t }' | tee -a "$summary"
  done
fi
echo "summary: $summary; full log: $log"
