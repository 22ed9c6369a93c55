// The "New video" form, built from GET /v1/models/svi-2-0-pro's parameter schema: a field the server adds later
// (a recipe, fps) shows up here without editing the page. Ranges are hints only (the form is novalidate): the
// API checks every value and its message is what the user sees.

// Shown below the main fields, folded: they rarely change.
const ADVANCED = new Set(["negative_prompt", "t2v_quality", "model", "lora_strengths"]);

export const label = name => name.charAt(0).toUpperCase() + name.slice(1).replaceAll("_", " ");

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter(c => c != null));
  return node;
};

function hint(spec) {
  const parts = [];
  if (spec.unit) parts.push(spec.unit);
  const min = spec.minimum ?? spec.exclusive_minimum;
  if (min != null && spec.maximum != null && spec.maximum < 1e15) parts.push(`${min}–${spec.maximum}`);
  if (spec.description) parts.push(spec.description);
  return parts.length ? el("span", { className: "hint", textContent: ` ${parts.join(" · ")}` }) : null;
}

/** A list of prompt boxes, one per clip, added and removed; `values()` gives the non-blank schedule. */
export function promptList(name, max, placeholder) {
  const rows = el("div", { className: "prompt-list" });
  const add = el("button", { type: "button", className: "ghost add-prompt", textContent: "+ Add clip prompt" });
  const renumber = () => {
    [...rows.children].forEach((row, i) => {
      row.querySelector(".n").textContent = `${i + 1}`;
      row.querySelector("button").disabled = rows.children.length === 1;
    });
    add.disabled = rows.children.length >= max;
  };
  const addRow = (value = "") => {
    const box = el("textarea", { name, rows: 2, value, placeholder: rows.children.length ? "next clip…" : placeholder });
    box.dataset.field = name;
    const remove = el("button", { type: "button", className: "ghost", textContent: "−", title: "Remove this clip's prompt" });
    const row = el("div", { className: "prompt-row" }, el("span", { className: "n" }), box, remove);
    remove.addEventListener("click", () => { row.remove(); renumber(); });
    rows.append(row);
    renumber();
    return box;
  };
  add.addEventListener("click", () => addRow().focus());
  addRow();
  const container = el("div", {}, rows, add);
  container.values = () => {
    const all = [...rows.querySelectorAll("textarea")].map(t => t.value);
    // All blank: send nothing, so the API's own "prompt is required" message shows.
    return all.every(v => v.trim() === "") ? [] : all;
  };
  container.reset = () => { rows.replaceChildren(); addRow(); };
  return container;
}

function imageDrop(name, spec, form) {
  const input = el("input", { type: "file", name, accept: (spec.formats || []).map(f => `.${f}`).join(","), hidden: true });
  input.dataset.field = name;
  const preview = el("img", { alt: "", hidden: true });
  const text = el("span", { textContent: "Drop an image or click to choose (none: text-to-video)" });
  const clear = el("button", { type: "button", className: "ghost clear-image", textContent: "Clear", hidden: true });
  const zone = el("label", { className: "drop" }, preview, text, clear, input);
  zone.dataset.field = name;
  const use = file => {
    form.image = file || null;
    preview.hidden = !file;
    clear.hidden = !file;
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = file ? URL.createObjectURL(file) : "";
    text.textContent = file ? `${file.name} · ${(file.size / 1024).toFixed(1)} KiB` : "Drop an image or click to choose (none: text-to-video)";
  };
  input.addEventListener("change", () => use(input.files[0]));
  clear.addEventListener("click", e => { e.preventDefault(); input.value = ""; use(null); });
  zone.addEventListener("dragover", e => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", e => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer.files.length) use(e.dataTransfer.files[0]);
  });
  form.clearImage = () => { input.value = ""; use(null); };
  return el("div", {}, el("label", { textContent: label(name) }, hint({ description: spec.description })), zone);
}

function control(name, spec) {
  let input;
  if (Array.isArray(spec.allowed)) {
    input = el("select", { name });
    for (const value of spec.allowed) input.append(el("option", { value, textContent: value, selected: value === spec.default }));
  } else if (spec.type === "boolean") {
    input = el("input", { type: "checkbox", name, checked: spec.default === true });
  } else if (spec.type === "number" || spec.type === "integer") {
    input = el("input", { type: "number", name, step: spec.type === "integer" ? "1" : "any", inputMode: "decimal" });
    const min = spec.minimum ?? spec.exclusive_minimum;
    if (min != null) input.min = min;
    if (spec.maximum != null && spec.maximum < 1e15) input.max = spec.maximum;
    input.placeholder = spec.default != null ? `${spec.default} (default)` : "random";
  } else if (typeof spec.default === "string" && spec.default.length > 60) {
    input = el("textarea", { name, rows: 3, placeholder: spec.default });
  } else {
    input = el("input", { type: "text", name, placeholder: spec.default ?? "" });
  }
  input.dataset.field = name;
  return el("label", { textContent: label(name) }, hint(spec), input);
}

/**
 * An object parameter with named keys (lora_strengths): one number box per key, sent as the form field `name[key]`
 * (a blank box sends nothing, so the deployment's strength holds). The placeholder shows each recipe's default, and the
 * API's error for a key (param `name.key`) marks that box.
 */
function keyedNumbers(name, spec) {
  const boxes = spec.keys.map(key => {
    const input = el("input", { type: "number", name: `${name}[${key}]`, step: "any", inputMode: "decimal" });
    if (spec.minimum != null) input.min = spec.minimum;
    if (spec.maximum != null) input.max = spec.maximum;
    const defaults = Object.entries(spec.by_recipe ?? {}).filter(([, byKey]) => byKey[key] != null);
    const values = new Set(defaults.map(([, byKey]) => byKey[key]));
    input.placeholder = values.size === 1 && defaults.length > 1 ? `${[...values][0]} (default)`
      : defaults.map(([recipe, byKey]) => `${recipe}: ${byKey[key]}`).join(", ");
    input.dataset.field = `${name}.${key}`;
    return el("label", { textContent: label(key) }, input);
  });
  return el("fieldset", { className: "keyed" }, el("legend", { textContent: label(name) }, hint(spec)), ...boxes);
}

/** Fills `container` with one control per schema parameter and returns the form's reader. */
export function buildForm(container, parameters) {
  const form = { image: null, prompts: null };
  const main = [], advanced = [];
  for (const [name, spec] of Object.entries(parameters)) {
    // 'prompts' covers 'prompt' (its first entry), so the form asks once.
    if (name === "prompt" && parameters.prompts) continue;
    let node;
    if (spec.type === "array" && spec.items === "string") {
      form.prompts = promptList(name, spec.max_items ?? 24, "What happens in the video.");
      form.prompts.dataset.field = name;
      node = el("div", {}, el("label", { textContent: label(name) }, hint(spec)), form.prompts);
    } else if (spec.type === "image") {
      node = imageDrop(name, spec, form);
    } else if (spec.type === "object" && Array.isArray(spec.keys)) {
      node = keyedNumbers(name, spec);
    } else {
      node = control(name, spec);
    }
    (ADVANCED.has(name) ? advanced : main).push(node);
  }
  container.replaceChildren(...main);
  if (advanced.length) container.append(el("details", {}, el("summary", { textContent: "More settings" }), ...advanced));

  form.data = () => {
    const data = new FormData();
    for (const p of form.prompts?.values() ?? []) data.append(form.prompts.dataset.field, p);
    if (form.image) data.append("image", form.image);
    for (const input of container.querySelectorAll("input[name], select[name], textarea[name]")) {
      if (input.type === "file" || input.dataset.field === form.prompts?.dataset.field) continue;
      if (input.type === "checkbox") data.append(input.name, input.checked ? "true" : "false");
      else if (input.value.trim() !== "") data.append(input.name, input.value.trim());
    }
    return data;
  };
  return form;
}

/** Marks the control the API's error names (error.param), and clears the marks of earlier errors. */
export function markInvalid(root, param) {
  for (const node of root.querySelectorAll(".invalid")) node.classList.remove("invalid");
  if (!param) return;
  const target = root.querySelector(`[data-field="${CSS.escape(param)}"]:not([hidden])`)
    ?? root.querySelector(`.drop[data-field="${CSS.escape(param)}"]`);
  if (target) { target.classList.add("invalid"); target.focus?.(); }
}
