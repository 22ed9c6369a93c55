// The key's generations, a page at a time (newest first): status, progress, "clip k of n" and the stage, ETA, a thumbnail that
// plays the spritesheet under the pointer, and the actions the API offers on each.
import { blobUrl, call, json, postJson, serverNowSeconds } from "./api.js";
import { markInvalid, promptList } from "./form.js";
import * as viewer from "./viewer.js";

const PAGE_SIZE = 8;
const list = document.getElementById("generations");
const template = document.getElementById("card-template");
const state = { after: null, previous: [], hasMore: false, page: [], timer: 0 };

const terminal = s => s === "completed" || s === "failed" || s === "cancelled";

// "clip k of n" counts finished clips; a running job also names what it does now (denoising, decoding, …).
function clips(g) {
  if (!g.clips_total) return "";
  const stage = g.status === "in_progress" && g.stage ? ` · ${g.stage}` : "";
  return `clip ${g.clips_completed} of ${g.clips_total}${stage}`;
}

function eta(g) {
  if (g.status === "queued") return "waiting for a worker";
  if (g.status !== "in_progress" || !g.started_at) return "";
  const elapsed = Math.max(0, serverNowSeconds() - g.started_at);
  // Times are whole seconds: too early a guess would say "0 s".
  if (g.progress < 1 || elapsed < 3) return "ETA estimating…";
  return `ETA ${duration(elapsed * (100 - g.progress) / g.progress)}`;
}

function duration(seconds) {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function summary(g) {
  const parts = [g.resolution, `${g.duration} s`, `cfg ${g.cfg}`, `seed ${g.seed}`, g.input_image ? "image" : `text (${g.t2v_quality})`];
  if (g.extended_from) parts.push(`extends ${g.extended_from}`);
  if (g.remixed_from_video_id) parts.push(`remix of ${g.remixed_from_video_id}`);
  return parts.join(" · ");
}

async function loadThumbnail(card, g) {
  if (card.dataset.thumb === "loaded" || g.status !== "completed") return;
  card.dataset.thumb = "loaded";
  try {
    const img = card.querySelector(".thumb img");
    img.src = (await blobUrl(g.thumbnail_url)).url;
    img.hidden = false;
  } catch { card.dataset.thumb = ""; }
}

// The spritesheet is a 4×4 grid of frames from first to last; the pointer's x picks the frame.
function hoverSpritesheet(card) {
  const thumb = card.querySelector(".thumb"), sheet = card.querySelector(".sheet");
  thumb.addEventListener("mouseenter", async () => {
    if (card.dataset.status !== "completed") return;
    if (!sheet.style.backgroundImage) {
      try { sheet.style.backgroundImage = `url("${(await blobUrl(`${card.generation.content_url}?variant=spritesheet`)).url}")`; }
      catch { return; }
    }
    sheet.hidden = false;
  });
  thumb.addEventListener("mousemove", e => {
    const box = thumb.getBoundingClientRect();
    const tile = Math.min(15, Math.max(0, Math.floor(((e.clientX - box.left) / box.width) * 16)));
    sheet.style.backgroundPosition = `${(tile % 4) * 100 / 3}% ${Math.floor(tile / 4) * 100 / 3}%`;
  });
  thumb.addEventListener("mouseleave", () => { sheet.hidden = true; });
}

function newCard(g) {
  const card = template.content.firstElementChild.cloneNode(true);
  card.dataset.id = g.id;
  const extendForm = card.querySelector(".extend-form");
  const prompts = promptList("prompts", 24, "How the video goes on (one prompt per new clip).");
  prompts.dataset.field = "prompts";
  extendForm.prepend(prompts);
  hoverSpritesheet(card);
  card.querySelector(".actions").addEventListener("click", e => {
    const action = e.target.closest("button")?.dataset.action;
    if (action) act(card, action).catch(err => showCardError(card, err));
  });
  extendForm.addEventListener("submit", e => { e.preventDefault(); extend(card, prompts).catch(err => showCardError(card, err, extendForm)); });
  card.querySelector(".remix-form").addEventListener("submit", e => { e.preventDefault(); remix(card).catch(err => showCardError(card, err)); });
  return card;
}

function showCardError(card, error, form) {
  card.querySelector(".card-error").textContent = error.message;
  if (form) markInvalid(form, error.param);
}

function update(card, g) {
  card.generation = g;
  card.dataset.status = g.status;
  card.querySelector(".badge").textContent = g.status.replace("_", " ");
  card.querySelector(".badge").className = `badge ${g.status}`;
  card.querySelector(".gid").textContent = g.id;
  card.querySelector(".meta").textContent = summary(g);
  card.querySelector(".prompt").textContent = g.prompts.join(" → ");
  card.querySelector(".prompt").title = g.prompts.join("\n");
  card.querySelector(".bar span").style.width = `${g.progress}%`;
  card.querySelector(".progress").dataset.progress = g.progress;
  card.querySelector(".clip").textContent = clips(g);
  card.querySelector(".eta").textContent = g.status === "completed" && g.started_at && g.completed_at
    ? `rendered in ${duration(g.completed_at - g.started_at)}` : eta(g);
  if (g.error && card.dataset.errorShown !== g.error.code) {
    card.querySelector(".card-error").textContent = `${g.error.code}: ${g.error.message}`;
    card.dataset.errorShown = g.error.code;
  }
  const done = g.status === "completed";
  const enable = (action, on) => { card.querySelector(`[data-action="${action}"]`).disabled = !on; };
  for (const action of ["watch", "compare-a", "compare-b"]) enable(action, done || g.status === "in_progress");
  for (const action of ["download", "extend", "remix"]) enable(action, done);
  enable("cancel", !terminal(g.status));
  card.classList.toggle("selected", viewer.shownIds().includes(g.id));
  loadThumbnail(card, g);
}

async function act(card, action) {
  const g = card.generation;
  card.querySelector(".card-error").textContent = "";
  switch (action) {
    case "watch": viewer.compare(false); await viewer.show("a", g); break;
    case "compare-a": await viewer.show("a", g); break;
    case "compare-b": viewer.compare(true); await viewer.show("b", g); break;
    case "download": {
      const link = Object.assign(document.createElement("a"), { href: (await blobUrl(g.content_url)).url, download: `${g.id}.mp4` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      break;
    }
    case "extend": toggle(card, ".extend-form", ".remix-form"); return;
    case "remix": toggle(card, ".remix-form", ".extend-form"); return;
    case "cancel": update(card, await postJson(`/v1/videos/generations/${g.id}/cancel`, {})); break;
    case "delete":
      if (!confirm(`Delete ${g.id} and its files?`)) return;
      await call(`/v1/videos/generations/${g.id}`, { method: "DELETE" });
      viewer.forget(g.id);
      card.remove();
      break;
  }
  await refresh();
}

function toggle(card, open, close) {
  const form = card.querySelector(open);
  form.hidden = !form.hidden;
  card.querySelector(close).hidden = true;
  if (!form.hidden) form.querySelector("textarea, input")?.focus();
}

async function extend(card, prompts) {
  const form = card.querySelector(".extend-form");
  const body = {};
  if (prompts.values().length) body.prompts = prompts.values();
  if (form.duration.value.trim() !== "") body.duration = Number(form.duration.value);
  const created = await postJson(`/v1/videos/generations/${card.generation.id}/extend`, body);
  form.hidden = true;
  prompts.reset();
  form.duration.value = "";
  markInvalid(form, null);
  await started(created);
}

async function remix(card) {
  const form = card.querySelector(".remix-form");
  const created = await postJson(`/v1/videos/${card.generation.id}/remix`, { prompt: form.prompt.value });
  form.hidden = true;
  form.prompt.value = "";
  // The OpenAI surface answered; the native object carries the clip counts the viewer needs.
  await started(await json(`/v1/videos/generations/${created.id}`));
}

/** A new generation was accepted: show the first page and watch it render. */
export async function started(g) {
  state.after = null;
  state.previous = [];
  viewer.compare(false);
  await refresh();
  viewer.show("a", g);
}

export async function refresh() {
  clearTimeout(state.timer);
  const error = document.getElementById("list-error");
  try {
    const query = new URLSearchParams({ limit: PAGE_SIZE, order: "desc" });
    if (state.after) query.set("after", state.after);
    const page = await json(`/v1/videos/generations?${query}`);
    error.textContent = "";
    state.page = page.data;
    state.hasMore = page.has_more;
    render(page.data);
  } catch (e) {
    error.textContent = e.message;
  }
  document.getElementById("newer").disabled = state.previous.length === 0;
  document.getElementById("older").disabled = !state.hasMore;
  // Poll fast while something on the page renders, slowly otherwise (other tabs and clients add jobs too).
  state.timer = setTimeout(refresh, state.page.some(g => !terminal(g.status)) ? 1000 : 5000);
}

function render(generations) {
  const cards = new Map([...list.children].map(c => [c.dataset.id, c]));
  const ordered = generations.map(g => {
    const card = cards.get(g.id) ?? newCard(g);
    update(card, g);
    return card;
  });
  for (const [id, card] of cards) if (!generations.some(g => g.id === id)) card.remove();
  ordered.forEach((card, i) => { if (list.children[i] !== card) list.insertBefore(card, list.children[i] ?? null); });
  viewer.refresh(generations);
}

document.getElementById("older").addEventListener("click", () => {
  if (!state.hasMore || !state.page.length) return;
  state.previous.push(state.after);
  state.after = state.page[state.page.length - 1].id;
  refresh();
});
document.getElementById("newer").addEventListener("click", () => {
  if (!state.previous.length) return;
  state.after = state.previous.pop();
  refresh();
});
