// Drives SVI Server with the official `openai` npm client, as an OpenAI user would after changing the base URL.
// usage: node client.mjs <baseURL ending in /v1> <apiKey> <anchor.png>
// Prints one JSON object describing what the client saw; OpenAiClientTests.cs asserts on it.
import fs from 'node:fs';
import OpenAI, { toFile } from 'openai';

const [baseURL, apiKey, imagePath] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll(id) {
  const deadline = Date.now() + 60_000;
  const seen = [];
  for (;;) {
    const video = await client.videos.retrieve(id);
    if (seen.at(-1) !== video.status) seen.push(video.status);
    if (video.status === 'completed' || video.status === 'failed') return { video, seen };
    if (Date.now() > deadline) throw new Error(`video ${id} still ${video.status}`);
    await sleep(100);
  }
}

async function failure(promise) {
  try { await promise; return null; } catch (e) {
    return { status: e.status, type: e.constructor.name, code: e.error?.code ?? e.code, param: e.error?.param ?? e.param, message: e.message };
  }
}

const created = await client.videos.create({
  model: 'svi-2-0-pro',
  prompt: 'a flag waves in the wind',
  seconds: '6',
  size: '1280x720',
  input_reference: await toFile(fs.readFileSync(imagePath), 'flag.png', { type: 'image/png' }),
});
const { video, seen } = await poll(created.id);
const textOnly = await client.videos.create({ prompt: 'clouds drift', seconds: '4' });
await poll(textOnly.id);

const listed = [];
for await (const v of client.videos.list({ limit: 1, order: 'asc' })) listed.push(v.id);

const content = Buffer.from(await (await client.videos.downloadContent(created.id)).arrayBuffer());
const thumbnail = Buffer.from(await (await client.videos.downloadContent(created.id, { variant: 'thumbnail' })).arrayBuffer());

const notFound = await failure(client.videos.retrieve('video_00000000000000000000000000000000'));
const badSize = await failure(client.videos.create({ prompt: 'x', size: '1024x1792' }));
const badKey = await failure(new OpenAI({ baseURL, apiKey: 'sk-not-a-key-000', maxRetries: 0 }).videos.list());

const deleted = await client.videos.delete(created.id);
const afterDelete = await failure(client.videos.retrieve(created.id));

console.log(JSON.stringify({
  created: { id: created.id, object: created.object, status: created.status, seconds: created.seconds, size: created.size, model: created.model },
  seen,
  final: { status: video.status, progress: video.progress, completed_at: video.completed_at, expires_at: video.expires_at },
  textOnly: textOnly.id,
  listed,
  content: { length: content.length, box: content.subarray(4, 8).toString('latin1') },
  thumbnail: { length: thumbnail.length, soi: thumbnail[0] === 0xff && thumbnail[1] === 0xd8 },
  notFound, badSize, badKey,
  deleted,
  afterDelete,
}));
