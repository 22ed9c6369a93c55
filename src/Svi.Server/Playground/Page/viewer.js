// The viewer: slot A plays one generation (its partial MP4 while it renders, reloaded after each finished clip);
// slot B beside it turns on compare mode, where play, pause and seeking in either video drive the other.
import { blobUrl } from "./api.js";

const $ = id => document.getElementById(id);
const slots = {
  a: { video: $("player-a"), caption: $("caption-a"), shown: null },
  b: { video: $("player-b"), caption: $("caption-b"), shown: null },
};
const comparing = () => !$("players").querySelector('[data-slot="b"]').hidden;

// Which file a slot holds: a running generation's partial video changes after every clip.
const version = g => `${g.id}:${g.status}:${g.status === "completed" ? "" : g.clips_completed}`;

export async function show(slotName, g) {
  const slot = slots[slotName];
  const wanted = version(g);
  slot.shown = { id: g.id, version: wanted };
  slot.caption.textContent = `${g.id} · loading…`;
  let media;
  try {
    media = await blobUrl(g.content_url);
  } catch (e) {
    // Nothing rendered yet (409 video_not_ready) or gone: the API's message says which; the next refresh retries.
    if (slot.shown?.version === wanted) { slot.caption.textContent = `${g.id} · ${e.message}`; slot.shown.version = null; }
    return;
  }
  if (slot.shown?.version !== wanted) { URL.revokeObjectURL(media.url); return; }
  const video = slot.video;
  const resumeAt = video.dataset.id === g.id ? video.currentTime : 0;
  const wasPlaying = video.dataset.id === g.id && !video.paused;
  const old = video.src;
  video.dataset.id = g.id;
  video.dataset.partial = media.partial ? "true" : "false";
  video.src = media.url;
  if (old.startsWith("blob:")) URL.revokeObjectURL(old);
  video.addEventListener("loadedmetadata", () => {
    video.currentTime = Math.min(resumeAt, video.duration || 0);
    if (wasPlaying || slotName === "a") video.play().catch(() => { /* autoplay refused: the controls are there */ });
  }, { once: true });
  const what = media.partial ? `partial: the ${g.clips_completed} of ${g.clips_total} clips finished so far` : g.status;
  slot.caption.textContent = `${g.id} · ${g.resolution} · ${g.duration} s · cfg ${g.cfg} · seed ${g.seed} · ${what}`;
}

/** Reloads a slot when the generation it shows has a newer file (a finished clip, or the final video). */
export function refresh(generations) {
  for (const [name, slot] of Object.entries(slots)) {
    if (!slot.shown) continue;
    const g = generations.find(x => x.id === slot.shown.id);
    if (g && version(g) !== slot.shown.version && (g.status === "completed" || g.status === "in_progress")) show(name, g);
  }
}

export const shownIds = () => Object.values(slots).map(s => s.shown?.id).filter(Boolean);

export function compare(on) {
  $("players").querySelector('[data-slot="b"]').hidden = !on;
  $("players").classList.toggle("compare", on);
  $("sync-bar").hidden = !on;
  if (!on) {
    slots.b.video.pause();
    slots.b.shown = null;
  }
}

export function forget(id) {
  for (const [name, slot] of Object.entries(slots)) {
    if (slot.shown?.id !== id) continue;
    slot.shown = null;
    slot.video.removeAttribute("src");
    slot.video.load();
    slot.caption.textContent = name === "a" ? "Nothing selected." : "";
  }
}

// Mirroring only acts when the other video differs, so the echo of a mirrored event ends the exchange.
function mirror(from, to) {
  from.addEventListener("play", () => { if (comparing() && to.paused) to.play().catch(() => {}); });
  from.addEventListener("pause", () => { if (comparing() && !to.paused) to.pause(); });
  from.addEventListener("seeked", () => {
    if (comparing() && Math.abs(to.currentTime - from.currentTime) > 0.05) to.currentTime = Math.min(from.currentTime, to.duration || 0);
  });
}
mirror(slots.a.video, slots.b.video);
mirror(slots.b.video, slots.a.video);

slots.a.video.addEventListener("timeupdate", () => {
  const a = slots.a.video, b = slots.b.video;
  if (!comparing()) return;
  if (a.duration) $("sync-seek").value = Math.round((a.currentTime / a.duration) * 1000);
  // Two decoders drift apart; pull B back when it strays by more than a few frames.
  if (!a.paused && !b.paused && Math.abs(b.currentTime - a.currentTime) > 0.2) b.currentTime = a.currentTime;
});
$("sync-play").addEventListener("click", () => {
  const a = slots.a.video;
  if (a.paused) a.play().catch(() => {}); else a.pause();
});
slots.a.video.addEventListener("play", () => { $("sync-play").textContent = "Pause both"; });
slots.a.video.addEventListener("pause", () => { $("sync-play").textContent = "Play both"; });
$("sync-seek").addEventListener("input", e => {
  const a = slots.a.video;
  if (a.duration) a.currentTime = (e.target.value / 1000) * a.duration;
});
$("sync-close").addEventListener("click", () => compare(false));
