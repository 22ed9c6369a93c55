// Drives SVI Server's continuation calls with the official `openai` npm client: extend, remix, spritesheet, and the
// calls this model does not do. usage: node continuations.mjs <baseURL ending in /v1> <apiKey> <anchor.png> <clip.mp4>
// Prints one JSON object; ContinuationTests.cs asserts on it.
import fs from 'node:fs';
import OpenAI, { toFile } from 'openai';

const [baseURL, apiKey, imagePath, clipPath] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll(id) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const video = await client.videos.retrieve(id);
    if (video.status === 'completed' || video.status === 'failed') return video;
    if (Date.now() > deadline) throw new Error(`video ${id} still ${video.status}`);
    await sleep(100);
  }
}

async function failure(promise) {
  try { await promise; return null; } catch (e) {
    return { status: e.status, type: e.constructor.name, code: e.error?.code ?? e.code, param: e.error?.param ?? e.param, message: e.message };
  }
}

const image = () => toFile(fs.readFileSync(imagePath), 'kite.png', { type: 'image/png' });
const source = await client.videos.create({ model: 'sora-2', prompt: 'a kite rises', seconds: '4', input_reference: await image() });
await poll(source.id);

const extended = await client.videos.extend({ prompt: 'the kite dives', seconds: '4', video: { id: source.id } });
const extendedFinal = await poll(extended.id);
const remixed = await client.videos.remix(source.id, { prompt: 'a kite spins' });
const remixedFinal = await poll(remixed.id);

const sheet = Buffer.from(await (await client.videos.downloadContent(source.id, { variant: 'spritesheet' })).arrayBuffer());
const content = Buffer.from(await (await client.videos.downloadContent(extended.id)).arrayBuffer());

const fromUpload = await client.videos.extend({
  prompt: 'the pattern moves on', seconds: '4', video: await toFile(fs.readFileSync(clipPath), 'clip.mp4', { type: 'video/mp4' }),
});
const fromUploadFinal = await poll(fromUpload.id);
const corruptUpload = await failure(client.videos.extend({
  prompt: 'more', seconds: '4', video: await toFile(Buffer.from('not a video at all'), 'bad.mp4', { type: 'video/mp4' }),
}));

const running = await client.videos.create({ prompt: 'a long flight', seconds: '30', input_reference: await image() });
const extendRunning = await failure(client.videos.extend({ prompt: 'more', seconds: '4', video: { id: running.id } }));
const extendUnknown = await failure(client.videos.extend({ prompt: 'more', seconds: '4', video: { id: 'video_00000000000000000000000000000000' } }));
const edit = await failure(client.videos.edit({ prompt: 'make it blue', video: { id: source.id } }));
const character = await failure(client.videos.createCharacter({ name: 'kite', video: await toFile(Buffer.from('x'), 'k.mp4', { type: 'video/mp4' }) }));
const getCharacter = await failure(client.videos.getCharacter('char_123'));
await fetch(`${baseURL}/videos/generations/${running.id}/cancel`, { method: 'POST', headers: { Authorization: `Bearer ${apiKey}` } });

console.log(JSON.stringify({
  source: source.id,
  extended: { object: extended.object, seconds: extended.seconds, prompt: extended.prompt, id: extended.id },
  extendedFinal: extendedFinal.status,
  remixed: { remixed_from_video_id: remixed.remixed_from_video_id },
  remixedFinal: remixedFinal.status,
  spritesheet: { length: sheet.length, soi: sheet[0] === 0xff && sheet[1] === 0xd8 },
  extendedContent: content.subarray(4, 8).toString('latin1'),
  fromUpload: { seconds: fromUpload.seconds, status: fromUploadFinal.status },
  extendRunning, extendUnknown, corruptUpload, edit, character, getCharacter,
}));
