// Reference outputs of nsfwjs' InceptionV3 model, computed by the real TensorFlow.js, for
// ModerationParityTest. Run it with TensorFlow.js and nsfwjs at the engine's pinned versions:
//
//   mkdir -p /tmp/nsfwref && cd /tmp/nsfwref && npm install @tensorflow/tfjs@4.22.0 nsfwjs@4.4.0
//   NODE_PATH=/tmp/nsfwref/node_modules node generate-reference.js reference.json [tensor-dir]
//
// It feeds the model (a) synthetic inputs that ModerationParityTest builds with the same formula, and
// (b) every <name>.f32 file in tensor-dir: a 299x299x3 float32 little-endian tensor, the engine's own
// preprocessing of a sample image (ModerationParityTest writes them with -Dmoderation.dump-tensors=<dir>).
// The sample images are compared only where ../shared/testdata is present.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const nsfwjs = require('nsfwjs');

const SIZE = 299;

// Must match ModerationParityTest.synthetic(kind).
function synthetic(kind) {
  const v = new Float32Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * SIZE + x) * 3 + c;
        if (kind === 'gradient') {
          v[i] = ((x + 2 * y + 85 * c) % 256) / 255;
        } else {
          v[i] = ((((x >> 4) + (y >> 4)) % 2) * 200 + ((x * 7 + y * 3 + c * 50) % 56)) / 255;
        }
      }
    }
  }
  return v;
}

async function main() {
  await tf.setBackend('cpu');
  const model = await nsfwjs.load('InceptionV3', { size: SIZE });
  const inputs = { gradient: synthetic('gradient'), checker: synthetic('checker') };
  const dir = process.argv[3];
  if (dir) {
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.f32')).sort()) {
      const b = fs.readFileSync(path.join(dir, f));
      inputs[f.slice(0, -4).replace(/__/g, '/')] = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
    }
  }
  const out = { model: 'nsfwjs@4.4.0 inception_v3', tfjs: tf.version.tfjs, backend: tf.getBackend(),
    classes: ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'], probabilities: {} };
  for (const [name, data] of Object.entries(inputs)) {
    const t = tf.tensor4d(data, [1, SIZE, SIZE, 3]);
    const p = model.model.predict(t);
    out.probabilities[name] = Array.from(await p.data()).map((x) => Number(x.toPrecision(7)));
    t.dispose();
    p.dispose();
  }
  fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 1) + '\n');
}

main();
