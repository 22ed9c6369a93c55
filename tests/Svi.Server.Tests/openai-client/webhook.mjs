// Checks a delivery the server sent with the official `openai` npm client, as an OpenAI webhook receiver would.
// usage: node webhook.mjs <delivery.json>   (the file holds {"body": "...", "headers": {...}, "secret": "whsec_..."})
// Prints {"event": <what client.webhooks.unwrap returned>, "tampered": <the error for the same delivery with one byte changed>}.
import fs from 'node:fs';
import OpenAI from 'openai';

const { body, headers, secret } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const client = new OpenAI({ apiKey: 'unused', webhookSecret: secret });

const event = await client.webhooks.unwrap(body, headers, secret);

const tamperedBody = body.replace('"object":"event"', '"object":"evenT"');
if (tamperedBody === body) throw new Error('the body has no "object":"event" to tamper with');
let tampered = null;
try {
  await client.webhooks.unwrap(tamperedBody, headers, secret);
} catch (e) {
  tampered = { type: e.constructor.name, message: e.message };
}

console.log(JSON.stringify({ event, tampered }));
