// Keeps what people type: text in a form is copied to this tab's sessionStorage as it is typed,
// offered back when the user returns to the form (after a session that ended, a lost submit or a
// page left by mistake), and cleared once a save has succeeded. Warns before leaving a form with
// unsaved changes, and five minutes before the log-in session ends, with a way to stay logged in
// (WCAG 2.2.1 Timing adjustable). Nothing leaves the browser; the tab's storage dies with the tab.
(function () {
  "use strict";

  const PREFIX = "keep-work:";
  const MAX_AGE_MS = 12 * 60 * 60 * 1000;
  const WARN_BEFORE_MS = 5 * 60 * 1000;
  const TEXT_TYPES = ["text", "search", "email", "tel", "url", "number", "date", "time", "datetime-local"];

  const body = document.body;
  const user = body.dataset.user || "";
  const lang = document.documentElement.lang || "sv";
  const strings = {
    sv: {
      offer: "Du skrev text här som inte sparades ({time}).",
      restore: "Återställ texten",
      discard: "Släng den",
      restored: "Texten är återställd. Granska den och spara.",
    },
    en: {
      offer: "You typed text here that was not saved ({time}).",
      restore: "Restore the text",
      discard: "Discard it",
      restored: "The text is restored. Check it and save.",
    },
  }[lang.slice(0, 2)] || null;

  function fieldsOf(form) {
    return Array.from(form.elements).filter(
      (el) =>
        el.name &&
        !el.disabled &&
        (el.tagName === "TEXTAREA" ||
          (el.tagName === "SELECT" && !el.multiple) ||
          (el.tagName === "INPUT" && TEXT_TYPES.includes(el.type)))
    );
  }

  function keptForms() {
    return Array.from(document.querySelectorAll("form")).filter(
      (form) =>
        (form.getAttribute("method") || "").toLowerCase() === "post" &&
        !form.closest("[data-no-keep]") &&
        !form.querySelector('input[type="password"], input[type="file"]') &&
        fieldsOf(form).some((el) => el.tagName !== "SELECT")
    );
  }

  function keyOf(form, index) {
    return PREFIX + location.pathname + ":" + (form.id || index);
  }

  function valuesOf(form) {
    const values = {};
    fieldsOf(form).forEach((el) => {
      values[el.name] = el.value;
    });
    return values;
  }

  function typed(form) {
    return fieldsOf(form).some((el) =>
      el.tagName === "SELECT"
        ? Array.from(el.options).some((option) => option.selected !== option.defaultSelected)
        : el.value !== el.defaultValue
    );
  }

  function read(key) {
    try {
      return JSON.parse(sessionStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function write(key, form, submitted) {
    try {
      sessionStorage.setItem(
        key,
        JSON.stringify({ user: user, path: location.pathname, values: valuesOf(form), at: Date.now(), submitted: submitted })
      );
    } catch (error) {
      // Storage full or switched off: the form still works, only without the safety net.
    }
  }

  function storedKeys() {
    const keys = [];
    for (let i = 0; i < sessionStorage.length; i += 1) {
      const key = sessionStorage.key(i);
      if (key && key.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  }

  // A stash is another user's, too old, or done with: a save succeeded (the page says so) or the
  // user went elsewhere after submitting.
  function sweep() {
    const saved = document.querySelector(".alert-success") !== null;
    storedKeys().forEach((key) => {
      const stash = read(key);
      const stale = !stash || stash.user !== user || Date.now() - stash.at > MAX_AGE_MS;
      const done = stash && stash.submitted && (saved || stash.path !== location.pathname);
      if (stale || done) sessionStorage.removeItem(key);
    });
  }

  function offer(form, key, stash) {
    const current = valuesOf(form);
    const differs = Object.keys(stash.values).some((name) => name in current && current[name] !== stash.values[name]);
    if (!differs || !strings) return;
    const time = new Date(stash.at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
    const box = document.createElement("div");
    box.className = "alert alert-info keep-work-offer";
    box.setAttribute("role", "status");
    const text = document.createElement("p");
    text.className = "mb-2";
    text.textContent = strings.offer.replace("{time}", time);
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "btn btn-primary btn-sm me-2";
    restore.textContent = strings.restore;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-outline-dark btn-sm";
    discard.textContent = strings.discard;
    box.append(text, restore, discard);
    form.before(box);
    restore.addEventListener("click", () => {
      let first = null;
      fieldsOf(form).forEach((el) => {
        if (el.name in stash.values && el.value !== stash.values[el.name]) {
          el.value = stash.values[el.name];
          el.dispatchEvent(new Event("input", { bubbles: true }));
          el.dispatchEvent(new Event("change", { bubbles: true }));
          first = first || el;
        }
      });
      text.textContent = strings.restored;
      restore.remove();
      discard.remove();
      if (first) first.focus();
    });
    discard.addEventListener("click", () => {
      sessionStorage.removeItem(key);
      box.remove();
    });
  }

  let dirty = false;

  function keepForms() {
    keptForms().forEach((form, index) => {
      const key = keyOf(form, index);
      const stash = read(key);
      if (stash) offer(form, key, stash);
      form.addEventListener("input", () => {
        if (typed(form)) {
          dirty = true;
          write(key, form, false);
        }
      });
      form.addEventListener("submit", () => {
        dirty = false;
        write(key, form, true);
      });
    });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  function keepSession() {
    const dialog = document.getElementById("session-keeper");
    let expiresAt = Number(body.dataset.sessionExpires || 0) * 1000;
    if (!dialog || !expiresAt || typeof dialog.showModal !== "function") return;
    const expiring = dialog.querySelector('[data-session-state="expiring"]');
    const ended = dialog.querySelector('[data-session-state="ended"]');
    const form = expiring.querySelector("form");
    let warned = false;

    function show(state) {
      expiring.hidden = state !== "expiring";
      ended.hidden = state !== "ended";
      dialog.querySelector("[data-session-time]").textContent = new Date(expiresAt).toLocaleTimeString(lang, {
        hour: "2-digit",
        minute: "2-digit",
      });
      if (!dialog.open) dialog.showModal();
    }

    function check() {
      const left = expiresAt - Date.now();
      if (left <= 0) {
        show("ended");
      } else if (left <= WARN_BEFORE_MS && !warned) {
        warned = true;
        show("expiring");
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => (response.ok && !response.redirected ? response.json() : Promise.reject(response)))
        .then((data) => {
          expiresAt = data.expires_at * 1000;
          warned = false;
          dialog.close();
        })
        .catch(() => show("ended"));
    });
    dialog.querySelector("[data-session-close]").addEventListener("click", () => dialog.close());
    // A timer that checks often survives a sleeping laptop better than one long timeout.
    window.setInterval(check, 15000);
    check();
  }

  function start() {
    if (!user) return; // the log-in page and other anonymous pages keep stashes untouched
    sweep();
    keepForms();
    keepSession();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
