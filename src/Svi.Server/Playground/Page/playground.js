// Wires the page: the API key dialog, the model's schema into the form, submitting a generation.
import { key, json } from "./api.js";
import { buildForm, markInvalid } from "./form.js";
import * as generations from "./generations.js";

const MODEL = "svi-2-0-pro";
const $ = id => document.getElementById(id);
let form = null;

function askForKey(reason) {
  $("key-reason").textContent = reason ?? "";
  $("key-forget").hidden = !key.get();
  if (!$("key-dialog").open) $("key-dialog").showModal();
  $("key-input").focus();
}
key.whenRefused(askForKey);

$("key-button").addEventListener("click", () => askForKey(""));
$("key-form").addEventListener("submit", e => {
  const value = $("key-input").value.trim();
  if (!value) { e.preventDefault(); return; }
  key.set(value);
  $("key-input").value = "";
  start();
});
$("key-forget").addEventListener("click", () => {
  key.forget();
  $("key-dialog").close();
  start();
});

function availability(a) {
  const mode = (name, ok) => `${name} ${ok ? "✓" : "✗"}`;
  const modes = [mode("image-to-video", a.image_to_video), mode("text-to-video fast", a.text_to_video_fast),
    mode("text-to-video quality", a.text_to_video_quality)].join(" · ");
  return `${MODEL} · weights ${a.variant ?? "not installed"} · ${modes}${a.missing?.length ? ` · ${a.hint}` : ""}`;
}

$("create-form").addEventListener("submit", async e => {
  e.preventDefault();
  if (!form) return;
  const button = $("submit");
  button.disabled = true;
  try {
    const created = await json("/v1/videos/generations", { method: "POST", body: form.data() });
    $("form-error").textContent = "";
    markInvalid($("fields"), null);
    await generations.started(created);
  } catch (error) {
    $("form-error").textContent = error.message;
    markInvalid($("fields"), error.param);
  } finally {
    button.disabled = false;
  }
});

async function start() {
  let model;
  try {
    model = await json(`/v1/models/${MODEL}`);
  } catch (error) {
    if (error.status !== 401) $("fields").textContent = error.message;
    return;
  }
  $("key-button").textContent = key.get() ? "API key ✓" : "API key";
  $("model-status").textContent = availability(model.availability);
  if (!form) form = buildForm($("fields"), model.parameters);
  await generations.refresh();
}

start();
