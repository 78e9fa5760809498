/* The answer form: show-if conditions and draft autosave. No framework, no CDN.
   Without JavaScript the form still works: every question is shown and the
   «Сохранить черновик» button saves; the server applies the same conditions. */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form) return;
  var statusEl = document.getElementById("autosave-status");
  var url = form.getAttribute("data-autosave-url");
  var autosave = form.getAttribute("data-state") !== "submitted" && !!statusEl;
  var dirty = false, busy = false, fileChanged = false;
  var INTERVAL = 5000;
  // Messages come translated from the template (data-msg-*), so the catalog holds them too.
  function msg(key) { return statusEl.getAttribute("data-msg-" + key) || ""; }

  function checkedValues(name) {
    var out = [];
    form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (i) { out.push(i.value); });
    return out;
  }

  function applyConditions() {
    var shown = {};
    form.querySelectorAll("[data-question]").forEach(function (item) {
      var name = item.getAttribute("data-question");
      var parent = item.getAttribute("data-show-if-question");
      var visible = true;
      if (parent) {
        var wanted = (item.getAttribute("data-show-if-options") || "").split(",");
        visible = shown[parent] === true && checkedValues(parent).some(function (v) { return wanted.indexOf(v) >= 0; });
      }
      shown[name] = visible;
      item.hidden = !visible;
    });
    form.querySelectorAll(".q-other").forEach(function (input) {
      var name = input.name.replace(/_other$/, "");
      var other = form.querySelector('input[name="' + name + '"][data-other]');
      input.hidden = !(other && other.checked);
    });
  }

  function setStatus(text, bad) {
    if (!statusEl) return;
    statusEl.textContent = text;
    statusEl.classList.toggle("bad", !!bad);
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-question]").forEach(function (item) {
      var name = item.getAttribute("data-question");
      var el = document.getElementById(name + "-error");
      var message = errors[name];
      if (!el) return;
      // Only format problems come from autosave; keep a submit error until the field changes.
      if (message) { el.textContent = message; el.hidden = false; item.classList.add("has-error"); }
      else if (el.getAttribute("data-autosave") === "1") { el.hidden = true; item.classList.remove("has-error"); }
      if (message) el.setAttribute("data-autosave", "1");
    });
  }

  function payload(withFiles) {
    var data = new FormData(form);
    data.delete("action");
    if (!withFiles) {
      form.querySelectorAll('input[type="file"]').forEach(function (i) { data.delete(i.name); });
    }
    return data;
  }

  function save() {
    if (!autosave || busy || !dirty) return;
    busy = true;
    var withFiles = fileChanged;
    dirty = false; fileChanged = false;
    setStatus(msg("saving"));
    fetch(url, { method: "POST", body: payload(withFiles), credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok || !res.body.ok) {
          setStatus(res.body.message || msg("failed"), true);
          return;
        }
        setStatus(msg("saved").replace("{t}", res.body.saved_at));
        showErrors(res.body.errors || {});
        if (withFiles) {
          form.querySelectorAll('input[type="file"]').forEach(function (i) {
            var name = (res.body.files || {})[i.name];
            var label = form.querySelector('[data-file-label="' + i.name + '"]');
            if (name && label) { label.textContent = msg("file") + ": " + name; i.value = ""; }
          });
        }
      })
      .catch(function () {
        dirty = true;
        setStatus(msg("offline"), true);
      })
      .then(function () { busy = false; });
  }

  form.addEventListener("change", function (e) {
    applyConditions();
    dirty = true;
    if (e.target.type === "file") { fileChanged = true; save(); }
  });
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { autosave = false; });
  if (autosave) {
    setInterval(save, INTERVAL);
    // Leaving the page (closing the tab, locking the phone): send what is there.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && dirty && autosave && navigator.sendBeacon) {
        if (navigator.sendBeacon(url, payload(false))) { dirty = false; }
      }
    });
  }
  applyConditions();
  // After a refused submit the page opens on the list of what to fix (each item links to its question).
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
