/* eventschema console: progressive enhancement, no build step.
 *
 * API forms. A form with data-api-url is sent to the JSON API instead of being submitted:
 *   <form id="f" data-api-method="PATCH" data-api-url="/api/projects/1/event_definitions/ID/"
 *         data-next="/projects/1/events/{id}/" data-api-confirm="Really?">
 * - Its named fields become a JSON object: checkboxes are booleans, type=number and data-type="number" are numbers
 *   (empty: null; on <select multiple>, a list of numbers), data-type="json" is parsed as JSON, <select multiple> is a list; data-api-omit-empty leaves an
 *   empty field out. A field may name its API field with data-api-name (else its name is used).
 *   Fields with data-api-list are gathered into a list under their name (checkboxes: the values of those
 *   checked; they may sit outside the form with form="<form id>"); data-require-selection="<name>" on the form
 *   refuses to send it while that list is empty.
 *   data-api-body="FIELD" on the form sends that one field's value as the whole body instead.
 * - The session's CSRF token (<meta name="csrf-token">) goes in X-CSRF-Token.
 * - On success: the form dispatches "api:success" (detail: {data, response}); unless a listener calls
 *   preventDefault(), the browser goes to data-next ({field} replaced from the answer's JSON) or reloads.
 * - On an error: the answer's detail goes next to the field the answer's attr names (the element with
 *   data-api-attr="<attr>", or name="<attr>"): into <p class="field-error" id="<form id>-<attr>-error">, created
 *   if missing, with aria-invalid and aria-describedby on the field (an attr a__b__c with no field of its own goes
 *   to the field a__b, else a); without such a field, into the form's
 *   <p class="form-error" role="alert">. The form dispatches "api:error" (detail: {status, body}).
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function fieldValue(field) {
    var type = (field.getAttribute("data-type") || field.type || "").toLowerCase();
    if (field.type === "checkbox") return field.checked;
    if (field.tagName === "SELECT" && field.multiple) {
      return Array.prototype.filter.call(field.options, function (o) { return o.selected; }).map(function (o) {
        return type === "number" ? Number(o.value) : o.value;
      });
    }
    if (type === "number") return field.value === "" ? null : Number(field.value);
    if (type === "json") return field.value.trim() === "" ? null : JSON.parse(field.value);
    return field.value;
  }

  function formBody(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      var name = field.getAttribute("data-api-name") || field.name;
      if (!name || field.disabled || field.type === "submit" || field.type === "button") return;
      if (field.type === "radio" && !field.checked) return;
      if (field.hasAttribute("data-api-omit-empty") && field.value === "") return;
      if (field.hasAttribute("data-api-list")) {
        body[name] = body[name] || [];
        if (field.type !== "checkbox" || field.checked) body[name].push(field.value);
        return;
      }
      try {
        body[name] = fieldValue(field);
      } catch (e) {
        e.apiAttr = name;  // so the message goes next to the field
        throw e;
      }
    });
    return body;
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (p) { p.textContent = ""; p.hidden = true; });
    form.querySelectorAll("[aria-invalid]").forEach(function (f) { f.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".form-error[data-api-made]").forEach(function (p) { p.remove(); });
  }

  function errorId(form, attr) {
    return (form.id || "form") + "-" + attr + "-error";
  }

  function showError(form, attr, message) {
    var field = null;
    // An attr naming a part of a field (validation_rules__items__minimum) goes to the nearest field it is in.
    var parts = attr ? String(attr).split("__") : [];
    while (!field && parts.length) {
      attr = parts.join("__");
      field = form.querySelector('[data-api-attr="' + CSS.escape(attr) + '"]') ||
        form.querySelector('[name="' + CSS.escape(attr) + '"]');
      parts.pop();
    }
    if (!field) {
      var box = document.createElement("p");
      box.className = "form-error";
      box.setAttribute("role", "alert");
      box.setAttribute("data-api-made", "");
      box.textContent = message;
      form.insertBefore(box, form.firstChild);
      return;
    }
    var id = errorId(form, attr);
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.className = "field-error";
      p.id = id;
      field.insertAdjacentElement("afterend", p);
    }
    p.textContent = message;
    p.hidden = false;
    p.setAttribute("role", "alert");
    field.setAttribute("aria-invalid", "true");
    var folded = field.closest("details");
    if (folded) folded.open = true;
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(id) < 0) field.setAttribute("aria-describedby", described.concat([id]).join(" "));
    field.focus();
  }

  function nextUrl(template, data) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return data && data[key] !== undefined ? encodeURIComponent(String(data[key])) : "";
    });
  }

  async function send(form) {
    var confirmText = form.getAttribute("data-api-confirm");
    if (confirmText && !window.confirm(confirmText)) return;
    clearErrors(form);
    var method = (form.getAttribute("data-api-method") || "POST").toUpperCase();
    var init = {
      method: method,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrfToken() }
    };
    if (method !== "GET" && method !== "DELETE") {
      var body;
      try {
        body = formBody(form);
        // data-api-body="FIELD": that field's value is the whole body (e.g. a JSON draft in a textarea).
        if (form.hasAttribute("data-api-body")) body = body[form.getAttribute("data-api-body")];
      } catch (e) {
        showError(form, e.apiAttr || null, "Not valid JSON: " + e.message);
        return;
      }
      var required = form.getAttribute("data-require-selection");
      if (required && !(body[required] && body[required].length)) {
        showError(form, null, "Select at least one first.");
        return;
      }
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    form.setAttribute("aria-busy", "true");
    var response;
    try {
      response = await fetch(form.getAttribute("data-api-url"), init);
    } catch (e) {
      form.removeAttribute("aria-busy");
      showError(form, null, "The server could not be reached. Check your connection and try again.");
      return;
    }
    var text = await response.text();
    var data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    form.removeAttribute("aria-busy");
    if (response.ok) {
      var done = new CustomEvent("api:success", { cancelable: true, detail: { data: data, response: response } });
      if (!form.dispatchEvent(done)) return;
      var next = form.getAttribute("data-next");
      if (next) window.location.assign(nextUrl(next, data)); else window.location.reload();
      return;
    }
    form.dispatchEvent(new CustomEvent("api:error", { detail: { status: response.status, body: data } }));
    if (response.status === 401) {
      showError(form, null, "Your session has ended. Sign in again, then retry.");
      return;
    }
    var detail = data && data.detail ? data.detail : "The server answered " + response.status + ".";
    showError(form, data ? data.attr : null, detail);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-api-url")) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    send(form);
  });
})();

/* Live refresh. A table with data-live-url="<fragment URL>" and data-live-interval="<ms>" swaps its
 * <tbody id="live-rows"> for the fragment's every interval while the page is visible; the button #live-pause
 * (shown once this runs) pauses and resumes it. A fragment that is not one (the session ended: a sign-in page)
 * stops the refresh and says so in #live-status. */
(function () {
  "use strict";
  var table = document.querySelector("table[data-live-url]");
  if (!table) return;
  var pause = document.getElementById("live-pause");
  var status = document.getElementById("live-status");
  var paused = false;
  var stopped = false;
  var interval = Number(table.getAttribute("data-live-interval")) || 3000;

  if (pause) {
    pause.hidden = false;
    pause.addEventListener("click", function () {
      paused = !paused;
      pause.setAttribute("aria-pressed", paused ? "true" : "false");
      pause.textContent = paused ? "Resume" : "Pause";
    });
  }

  async function refresh() {
    if (paused || stopped || document.hidden) return;
    try {
      var response = await fetch(table.getAttribute("data-live-url"), { credentials: "same-origin" });
      var html = await response.text();
      var fresh = new DOMParser().parseFromString("<table>" + html + "</table>", "text/html").getElementById("live-rows");
      if (!response.ok || response.redirected || !fresh) {
        stopped = true;
        if (status) status.textContent = "Refreshing stopped: sign in again, then reload this page.";
        return;
      }
      if (paused) return;
      var current = document.getElementById("live-rows");
      // Rows whose payload is open stay as they are until it is closed.
      if (current && !current.querySelector("details[open]")) {
        current.replaceWith(document.adoptNode(fresh));
        var summary = document.getElementById("live-summary");
        var text = fresh.getAttribute("data-summary");
        // Said again by screen readers (role=status) only when it changes.
        if (summary && summary.textContent !== text) summary.textContent = text;
      }
    } catch (e) {
      if (status) status.textContent = "The server could not be reached; retrying.";
    }
  }

  window.setInterval(refresh, interval);
})();

/* Rule inputs (Property groups editor). Fields inside <div data-rules-for="<id of a JSON textarea>"> with
 * data-rule="<key>" edit that key of the JSON as they are typed in; the JSON is what the form sends.
 * data-rule="enum" takes one value per line: numbers for a Numeric property, true/false for a Boolean one (the
 * form's property_type field says which), strings otherwise. Minimum and maximum are numbers. An empty field
 * removes its key; JSON that does not parse is left alone (the form then says so next to it).
 */
(function () {
  "use strict";

  function typed(value, propertyType) {
    if (propertyType === "Numeric" && value !== "" && !isNaN(Number(value))) return Number(value);
    if (propertyType === "Boolean" && (value === "true" || value === "false")) return value === "true";
    return value;
  }

  function ruleValue(field, propertyType) {
    var key = field.getAttribute("data-rule");
    if (key === "enum") {
      var values = field.value.split("\n").map(function (line) { return line.trim(); })
        .filter(function (line) { return line !== ""; });
      return values.length ? values.map(function (v) { return typed(v, propertyType); }) : undefined;
    }
    var text = field.value.trim();
    if (text === "") return undefined;
    if (key === "minimum" || key === "maximum") return isNaN(Number(text)) ? text : Number(text);
    return field.value;
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLElement) || !field.hasAttribute("data-rule")) return;
    var box = field.closest("[data-rules-for]");
    var target = box && document.getElementById(box.getAttribute("data-rules-for"));
    if (!target) return;
    var rules = {};
    if (target.value.trim() !== "") {
      try { rules = JSON.parse(target.value); } catch (e) { return; }
      if (rules === null || typeof rules !== "object" || Array.isArray(rules)) return;
    }
    var typeField = field.form && field.form.elements.namedItem("property_type");
    var value = ruleValue(field, typeField ? typeField.value : "");
    var key = field.getAttribute("data-rule");
    if (value === undefined) delete rules[key]; else rules[key] = value;
    target.value = Object.keys(rules).length ? JSON.stringify(rules) : "";
  });
})();

/* Copy buttons: <button type="button" data-copy="ID"> copies the text of the element with that id, and says so.
 * Shown once: a form with data-api-show="FIELD" data-api-show-target="ID" data-api-show-box="ID" does not reload
 * on success; it puts the answer's FIELD into the target's text and shows the box (e.g. a new key's value). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent;
    var label = button.textContent;
    function done(message) {
      button.textContent = message;
      window.setTimeout(function () { button.textContent = label; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done("Copied"); }, function () { done("Select and copy"); });
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      done(document.execCommand && document.execCommand("copy") ? "Copied" : "Selected: copy it");
    }
  });

  document.addEventListener("api:success", function (event) {
    var form = event.target;
    var field = form.getAttribute("data-api-show");
    if (!field) return;
    event.preventDefault();
    var data = event.detail.data || {};
    var target = document.getElementById(form.getAttribute("data-api-show-target"));
    var box = document.getElementById(form.getAttribute("data-api-show-box"));
    if (target) target.textContent = data[field] === undefined ? "" : String(data[field]);
    if (box) { box.hidden = false; box.setAttribute("tabindex", "-1"); box.focus(); }
    form.reset();
  }, true);  // capturing: the form's api:success does not bubble
})();

/* A second request after the first: a form with data-api-then-url="URL" data-api-then-json='{"a": "{id}"}' posts
 * that JSON ("{field}" strings replaced by the first answer's fields) once the first request succeeds, then goes
 * to data-next (or reloads); its error is shown in the form like the first one's. */
(function () {
  "use strict";

  function fill(value, data) {
    if (typeof value === "string") {
      var whole = /^\{(\w+)\}$/.exec(value);
      return whole && data && data[whole[1]] !== undefined ? data[whole[1]] : value;
    }
    if (value && typeof value === "object") {
      var out = Array.isArray(value) ? [] : {};
      Object.keys(value).forEach(function (key) { out[key] = fill(value[key], data); });
      return out;
    }
    return value;
  }

  function fail(form, message) {
    var box = document.createElement("p");
    box.className = "form-error";
    box.setAttribute("role", "alert");
    box.setAttribute("data-api-made", "");
    box.textContent = message;
    form.insertBefore(box, form.firstChild);
  }

  document.addEventListener("api:success", function (event) {
    var form = event.target;
    var url = form.getAttribute("data-api-then-url");
    if (!url) return;
    event.preventDefault();
    var body = fill(JSON.parse(form.getAttribute("data-api-then-json") || "{}"), event.detail.data);
    var meta = document.querySelector('meta[name="csrf-token"]');
    form.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRF-Token": meta ? meta.getAttribute("content") : "" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        form.removeAttribute("aria-busy");
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!response.ok) {
          fail(form, (data && data.detail) || "The server answered " + response.status + ".");
          return;
        }
        var next = form.getAttribute("data-next");
        if (next) window.location.assign(next); else window.location.reload();
      });
    }, function () {
      form.removeAttribute("aria-busy");
      fail(form, "The server could not be reached. Check your connection and try again.");
    });
  }, true);  // capturing: the form's api:success does not bubble
})();
