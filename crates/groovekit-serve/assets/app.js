// groovekit serve: the one script (compiled into the binary). It draws waveforms, plays
// slices, and runs edits: a plan first (dry run), then the same request with apply.
"use strict";
(function () {
  const token = (document.querySelector('meta[name="gk-token"]') || {}).content || "";

  function drawWave(canvas) {
    const url = canvas.dataset.peaks;
    fetch(url).then(r => r.ok ? r.json() : Promise.reject(r.status)).then(p => {
      const ctx = canvas.getContext("2d");
      const w = canvas.width, h = canvas.height, cols = p.columns;
      ctx.fillStyle = "#0d0e10"; ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = "#f0a030";
      cols.forEach((c, i) => {
        const x = i * w / cols.length;
        const y0 = (1 - c[1]) * h / 2, y1 = (1 - c[0]) * h / 2;
        ctx.fillRect(x, y0, Math.max(1, w / cols.length), Math.max(1, y1 - y0));
      });
      const frames = p.frames || 1;
      const mark = (f, color) => { ctx.fillStyle = color; ctx.fillRect(f * w / frames, 0, 1, h); };
      let slices = [];
      try { slices = JSON.parse(canvas.dataset.slices || "[]"); } catch (e) { slices = []; }
      slices.forEach(s => mark(s.start, "#7fb2ff"));
      let trim = null;
      try { trim = canvas.dataset.trim ? JSON.parse(canvas.dataset.trim) : null; } catch (e) { trim = null; }
      if (trim) {
        if (trim[0] != null) mark(trim[0], "#5cb85c");
        if (trim[1]) mark(trim[1], "#5cb85c");
        if (trim[2] != null && trim[2] !== 0xffffffff) mark(trim[2], "#e0554f");
      }
      canvas.dataset.drawn = String(cols.length);
    }).catch(e => { canvas.dataset.drawn = "error " + e; });
  }

  function playSlices() {
    const player = document.getElementById("player");
    const canvas = document.getElementById("wave");
    if (!player || !canvas) return;
    const rate = Number(canvas.dataset.rate) || 44100;
    let stopAt = null;
    player.addEventListener("timeupdate", () => {
      if (stopAt !== null && player.currentTime >= stopAt) { player.pause(); stopAt = null; }
    });
    document.querySelectorAll("button.play-slice").forEach(b => b.addEventListener("click", () => {
      player.currentTime = Number(b.dataset.start) / rate;
      stopAt = Number(b.dataset.end) / rate;
      player.play();
    }));
  }

  // OP-Z kit slices: each button loads its slice (a WAV cut by the server) into the page's one
  // player and plays it; the player's duration is the slice's length.
  function playKitSlices() {
    const player = document.getElementById("kit-player");
    if (!player) return;
    document.querySelectorAll("button.play-kit-slice").forEach(b => b.addEventListener("click", () => {
      document.querySelectorAll("button.play-kit-slice.playing").forEach(x => x.classList.remove("playing"));
      b.classList.add("playing");
      player.dataset.slice = b.dataset.src;
      player.src = b.dataset.src;
      player.play().catch(() => {});
    }));
  }

  function formJson(form) {
    const body = { root: Number(form.dataset.root) };
    // Empty number fields are left out (the server's default, e.g. copy-slots' `to_slot`);
    // `data-list` text fields are lists of numbers ("1 2 5" or "1,2,5").
    form.querySelectorAll("input, select").forEach(el => {
      if (!el.name) return;
      if (el.type === "checkbox") body[el.name] = el.checked;
      else if (el.type === "number") { if (el.value !== "") body[el.name] = Number(el.value); }
      else if (el.dataset.list !== undefined) body[el.name] = el.value.split(/[\s,]+/).filter(Boolean).map(Number);
      else body[el.name] = el.value;
    });
    return body;
  }

  function post(op, body) {
    return fetch("/api/edit/" + op, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Groovekit-Token": token },
      body: JSON.stringify(body),
    }).then(r => r.json().then(j => ({ status: r.status, json: j }), () => ({ status: r.status, json: { error: "HTTP " + r.status } })));
  }

  function describe(plan) {
    const lines = [];
    const p = plan.plan || {};
    if (plan.json && plan.json.error) lines.push("error: " + plan.json.error);
    ["source", "destination", "from", "to"].forEach(k => { if (p[k] !== undefined) lines.push(k + ": " + p[k]); });
    if (p.source_bank) lines.push("bank " + p.source_bank + " -> bank " + p.destination_bank);
    (p.replaces || []).forEach(r => lines.push("replaces: " + r));
    (p.slots || []).filter(s => s.action !== "empty").forEach(s => lines.push(s.from !== undefined && s.action
      ? "slot: " + s.slot_type + " " + s.from + " -> " + s.to + " (" + s.action + ") " + (s.path || "")
      : typeof s.from === "string" && typeof s.to === "string"
        ? "slot: " + s.slot_type + " " + s.slot + ": " + (s.from || "(empty)") + " -> " + (s.to || "(cleared)")
        : "slot: " + JSON.stringify(s)));
    (p.files || []).forEach(f => lines.push("file: " + (f.from ? f.from + " -> " + f.to
      : f.path ? f.action + " " + f.path + (f.to ? " -> " + f.to : "") : JSON.stringify(f))));
    (p.unresolved || []).forEach(u => lines.push("not found: " + u.slot_type + " " + u.slot + " " + u.path +
      (u.candidates.length ? " (" + u.candidates.length + " different candidates)" : "")));
    (p.restore || []).forEach(s => lines.push("restore: " + s));
    (p.remove || []).forEach(s => lines.push("remove: " + s));
    (p.writes || []).forEach(w => lines.push("writes: " + w));
    (p.warnings || []).forEach(w => lines.push("warning: " + w));
    if (p.backup) lines.push("backup: " + p.backup);
    return lines.join("\n");
  }

  function edits() {
    const box = document.getElementById("plan");
    const text = document.getElementById("plan-text");
    const apply = document.getElementById("apply");
    const cancel = document.getElementById("cancel");
    if (!box || !token) return;
    let pending = null;
    const show = (op, body, res) => {
      box.hidden = false;
      box.dataset.state = res.json.applied ? "applied" : (res.status === 200 ? "planned" : "refused");
      text.textContent = (res.json.applied ? "Done: " : (res.status === 200 ? "Plan (nothing changed yet): " : "Refused: ")) + op + "\n" +
        describe(res.status === 200 ? res.json : { json: res.json });
      apply.hidden = !(res.status === 200 && !res.json.applied);
      pending = (res.status === 200 && !res.json.applied) ? { op, body } : null;
    };
    document.querySelectorAll("form.edit-form").forEach(f => f.addEventListener("submit", ev => {
      ev.preventDefault();
      const op = f.dataset.op, body = formJson(f);
      body.apply = false;
      post(op, body).then(res => show(op, body, res));
    }));
    document.querySelectorAll("button.edit").forEach(b => b.addEventListener("click", () => {
      const op = b.dataset.op, body = JSON.parse(b.dataset.args);
      body.apply = false;
      post(op, body).then(res => show(op, body, res));
    }));
    apply.addEventListener("click", () => {
      if (!pending) return;
      const { op, body } = pending;
      body.apply = true;
      post(op, body).then(res => show(op, body, res));
    });
    cancel.addEventListener("click", () => { box.hidden = true; pending = null; });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("canvas.wave").forEach(drawWave);
    playSlices();
    playKitSlices();
    edits();
  });
})();
