// Extends a finished video with the official `openai` npm client and downloads the result.
// usage: node extend.mjs <baseURL ending in /v1> <apiKey> <source video id> <prompt> <seconds to add> <output.mp4>
// Prints one JSON object (the final video); RandomWeightsProcessTests.cs asserts on it and on the file.
import fs from 'node:fs';
import OpenAI from 'openai';

const [baseURL, apiKey, sourceId, prompt, seconds, output] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let video = await client.videos.extend({ prompt, seconds, video: { id: sourceId } });
const deadline = Date.now() + 30 * 60_000;
while (video.status === 'queued' || video.status === 'in_progress') {
  if (Date.now() > deadline) throw new Error(`video ${video.id} still ${video.status}`);
  await sleep(500);
  video = await client.videos.retrieve(video.id);
}
if (video.status === 'completed') {
  const content = await client.videos.downloadContent(video.id);
  fs.writeFileSync(output, Buffer.from(await content.arrayBuffer()));
}
console.log(JSON.stringify(video));
