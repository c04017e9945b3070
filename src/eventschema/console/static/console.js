/* eventschema console: progressive enhancement, no build step.
 *
 * API forms. A form with data-api-url is sent to the JSON API instead of being submitted:
 *   <form id="f" data-api-method="PATCH" data-api-url="/api/projects/1/event_definitions/ID/"
 *         data-next="/projects/1/events/{id}/" data-api-confirm="Really?">
 * - Its named fields become a JSON object: checkboxes are booleans, type=number and data-type="number" are numbers
 *   (empty: null), data-type="json" is parsed as JSON, <select multiple> is a list; data-api-omit-empty leaves an
 *   empty field out. A field may name its API field with data-api-name (else its name is used).
 *   Fields with data-api-list are gathered into a list under their name (checkboxes: the values of those
 *   checked; they may sit outside the form with form="<form id>"); data-require-selection="<name>" on the form
 *   refuses to send it while that list is empty.
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
      return Array.prototype.filter.call(field.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
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
