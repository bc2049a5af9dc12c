/* skillbite learner app: progressive enhancement only (every page works without it, except the offline queue).
   - registers the service worker (offline app shell and the current session's pages);
   - keyboard: 1-4 self-grade a flashcard, Enter submits an answer or continues;
   - answer forms: time to answer and time zone measured here; answers given offline are kept in IndexedDB
     under their review UUIDs and POSTed to /api/reviews/batch when the network returns (the server stores
     each UUID once, so a retry never counts twice);
   - log out sends what is queued, then removes the stored answers and cached pages. */
(function () {
  "use strict";
  var DB_NAME = "skillbite", STORE = "reviews";
  /* The Content-Security-Policy allows no inline style: htmx must not add its <style> for indicators
     (this runs before htmx's own start-up, both scripts being deferred; no page uses hx-indicator). */
  if (window.htmx) { window.htmx.config.includeIndicatorStyles = false; }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  }

  /* ---- IndexedDB queue ---------------------------------------------------------------------------------- */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "uuid" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  var queue = {
    put: function (review) { return withStore("readwrite", function (s) { s.put(review); }); },
    all: function () { return withStore("readonly", function (s) { return s.getAll(); }); },
    remove: function (uuids) {
      return withStore("readwrite", function (s) { uuids.forEach(function (u) { s.delete(u); }); });
    }
  };

  function post(reviews) {
    return fetch("/api/reviews/batch", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ reviews: reviews })
    });
  }
  var flushing = null;
  /* Send every queued answer; resolves to the number still queued. A batch is all-or-nothing on the server,
     so when it is refused each answer is sent alone and one that can never be stored (404, 409, 422) is
     dropped rather than blocking the others forever. */
  function flush() {
    if (flushing) { return flushing; }
    flushing = queue.all().then(function (reviews) {
      if (!reviews.length || !navigator.onLine) { return reviews.length; }
      return post(reviews.slice(0, 500)).then(function (response) {
        if (response.ok) { return queue.remove(reviews.slice(0, 500).map(function (r) { return r.uuid; })); }
        if ([401, 403, 429].indexOf(response.status) >= 0 || response.status >= 500) { return null; }
        return reviews.reduce(function (chain, review) {
          return chain.then(function () {
            return post([review]).then(function (one) {
              if (one.ok || [404, 409, 422].indexOf(one.status) >= 0) { return queue.remove([review.uuid]); }
            });
          });
        }, Promise.resolve());
      }).then(function () { return queue.all(); }).then(function (left) { return left.length; });
    }).catch(function () { return -1; }).then(function (left) { flushing = null; showQueued(left); return left; });
    return flushing;
  }
  function showQueued(count) {
    var badge = document.getElementById("offline-queue");
    if (!badge) {
      if (!(count > 0)) { return; }
      badge = document.createElement("p");
      badge.id = "offline-queue";
      badge.setAttribute("role", "status");
      badge.className = "offline-note";
      var main = document.getElementById("main");
      if (main) { main.insertBefore(badge, main.firstChild); }
    }
    badge.hidden = !(count > 0);
    badge.textContent = count > 0 ? count + " answer" + (count === 1 ? "" : "s") + " saved offline, sent when you are back online." : "";
  }

  /* ---- answer forms ------------------------------------------------------------------------------------- */
  function stamp(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("form[data-review-form]").forEach(function (form) {
      if (!form.dataset.loadedAt) { form.dataset.loadedAt = String(performance.now()); }
    });
  }
  function timeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }
  function setField(form, name, value) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (input) { input.value = value; }
  }
  /* The same answer shapes as web/player_forms.py (domain/answers.py is authoritative). */
  function answerOf(form) {
    var data = new FormData(form), kind = form.dataset.kind;
    switch (kind) {
      case "multiple_choice":
        var picked = data.getAll("choice").map(Number);
        return form.dataset.multiple === "true" ? picked : picked[0];
      case "true_false": return data.get("tf") === "true";
      case "cloze": return data.getAll("blank");
      case "typed_answer": return data.get("typed") || "";
      case "ordering": return data.getAll("order").map(Number);
      case "matching":
        var answer = {};
        form.querySelectorAll("select[data-left]").forEach(function (select) {
          var option = select.selectedOptions[0];
          answer[select.dataset.left] = option && option.dataset.right ? option.dataset.right : "";
        });
        return answer;
      case "flashcard": return Number(form.dataset.selfGrade);
    }
    return null;
  }
  function queueAnswer(form) {
    var selfGrade = form.dataset.kind === "flashcard" ? Number(form.dataset.selfGrade) : null;
    var review = {
      uuid: form.querySelector('input[name="review_uuid"]').value,
      item_id: Number(form.dataset.itemId),
      reviewed_at: new Date().toISOString(),
      tz: timeZone() || "UTC",
      answer: answerOf(form),
      response_ms: Number(form.querySelector('input[name="response_ms"]').value) || 0,
      self_grade: selfGrade
    };
    return queue.put(review).then(function () {
      var note = form.querySelector(".offline-note");
      if (note) {
        note.hidden = false;
        note.textContent = "You are offline: your answer is saved and will be sent when you are back online.";
      }
      form.querySelectorAll("button, input, select").forEach(function (c) { c.disabled = true; });
      var next = document.createElement("a");
      next.className = "button";
      next.id = "continue";
      next.href = form.dataset.next;
      next.textContent = "Continue";
      form.appendChild(next);
      next.focus();
      return queue.all();
    }).then(function (all) { showQueued(all.length); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest('button[name="self_grade"]');
    if (button && button.form) { button.form.dataset.selfGrade = button.value; }
  }, true);

  /* Capture phase: runs before htmx reads the form, so the timing fields are in the request it sends. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-review-form]")) {
      if (event.submitter && event.submitter.name === "self_grade") { form.dataset.selfGrade = event.submitter.value; }
      var loaded = Number(form.dataset.loadedAt || performance.now());
      setField(form, "response_ms", String(Math.max(0, Math.round(performance.now() - loaded))));
      setField(form, "tz", timeZone());
      if (!navigator.onLine && "indexedDB" in window) {
        event.preventDefault();
        event.stopPropagation();
        queueAnswer(form);
      }
    } else if (form.matches('form[action="/logout"]')) {
      event.preventDefault();
      event.stopPropagation();
      logOut(form);
    }
  }, true);

  /* The request failed without an answer (network down while the browser thought it was online). */
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail && event.detail.elt && event.detail.elt.closest("form[data-review-form]");
    if (form && "indexedDB" in window) { queueAnswer(form); }
  });
  document.addEventListener("htmx:load", function (event) { stamp(event.target); });
  document.addEventListener("htmx:afterSwap", function () {
    var feedback = document.getElementById("feedback");
    if (feedback) { feedback.focus(); }
  });

  /* ---- keyboard ----------------------------------------------------------------------------------------- */
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target, typing = target.matches && target.matches("input[type=text], input[type=search], textarea, select");
    if (!typing && /^[1-4]$/.test(event.key)) {
      var grade = document.querySelector('button[name="self_grade"][value="' + event.key + '"]');
      if (grade && !grade.disabled) { event.preventDefault(); grade.click(); }
      return;
    }
    if (event.key === "Enter" && !typing) {
      if (target.matches && target.matches("input[type=radio], input[type=checkbox]") && target.form) {
        event.preventDefault();
        target.form.requestSubmit();
        return;
      }
      var next = document.getElementById("continue");
      if (next && (target === document.body || target.id === "feedback" || target.id === "main")) {
        event.preventDefault();
        next.click();
      }
    }
  });

  /* ---- offline: service worker, session pages, log out -------------------------------------------------- */
  function cacheSession() {
    var holder = document.querySelector('input[name="s"]') || document.querySelector("[data-session-steps]");
    var steps = holder && (holder.value || holder.getAttribute("data-session-steps"));
    if (!steps || !navigator.serviceWorker || !navigator.serviceWorker.controller) { return; }
    var key = "skillbite-cached:" + steps;
    try { if (sessionStorage.getItem(key)) { return; } sessionStorage.setItem(key, "1"); } catch (e) { /* private mode */ }
    var urls = [], count = steps.split(".").length;
    for (var i = 0; i <= count; i++) {
      urls.push("/learn/play?s=" + steps + "&i=" + i);
      urls.push("/learn/play?s=" + steps + "&i=" + i + "&reveal=true");
    }
    navigator.serviceWorker.controller.postMessage({ type: "cache-session", urls: urls });
  }
  function logOut(form) {
    var done = function () {
      var clear = [];
      if ("indexedDB" in window) {
        clear.push(new Promise(function (resolve) {
          var request = indexedDB.deleteDatabase(DB_NAME);
          request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
        }));
      }
      if (window.caches) {
        clear.push(caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }));
      }
      try { sessionStorage.clear(); } catch (e) { /* private mode */ }
      Promise.all(clear).then(function () { form.submit(); }, function () { form.submit(); });
    };
    if (!("indexedDB" in window)) { done(); return; }
    flush().then(function (left) {
      if (left > 0 && !window.confirm(left + " answer(s) given offline could not be sent yet. Log out and lose them?")) { return; }
      done();
    });
  }

  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    stamp(document);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(cacheSession, function () { /* no offline */ });
    }
    if ("indexedDB" in window && document.querySelector('form[action="/logout"]')) { flush(); }
  });
})();
