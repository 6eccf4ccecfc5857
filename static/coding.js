// The one-by-one coding view: a key per code applies it through the JSON API with no reload;
// j/k (or the arrows) step, u undoes the last change (even one made on the previous answer),
// o opens the answer. Without this script the same buttons are forms and the links still work.
(function () {
  "use strict";
  var view = document.getElementById("code-one");
  if (!view || !window.fetch) { return; }
  var api = view.getAttribute("data-api"), token = view.getAttribute("data-csrf");
  var status = document.getElementById("code-status");
  var buttons = Array.prototype.slice.call(view.querySelectorAll("button.code-toggle"));

  function say(text) { status.textContent = text; }

  function send(url, name, add) {
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                       body: JSON.stringify(add ? {add: [name]} : {remove: [name]})})
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(body.error || response.status); }
          return body;
        });
      });
  }

  function show(codes) {
    buttons.forEach(function (button) {
      var on = codes.indexOf(button.value) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("btn-primary", on);
      button.classList.toggle("btn-outline-primary", !on);
    });
  }

  function change(url, name, add, undoing) {
    return send(url, name, add).then(function (body) {
      if (url === api) { show(body.codes); }
      if (undoing) {
        sessionStorage.removeItem("coding-last");
        say("Undone: " + name + (add ? " given back." : " taken off again."));
      } else {
        sessionStorage.setItem("coding-last", JSON.stringify({url: url, name: name, add: add}));
        say((add ? "Gave " : "Took off ") + name + ". Press u to undo.");
      }
    }).catch(function (error) { say("Not saved: " + error.message); });
  }

  function undo() {
    var last = JSON.parse(sessionStorage.getItem("coding-last") || "null");
    if (!last) { say("Nothing to undo."); return; }
    change(last.url, last.name, !last.add, true);
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.assign(link.href); }
  }

  buttons.forEach(function (button) {
    button.form.addEventListener("submit", function (event) {
      event.preventDefault();
      change(api, button.value, button.getAttribute("aria-pressed") !== "true", false);
    });
  });

  var steps = {j: "next", ArrowRight: "next", k: "prev", ArrowLeft: "prev", o: "open"};
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) {
      return;
    }
    var button = buttons.filter(function (b) { return b.getAttribute("data-key") === event.key; })[0];
    if (button) {
      event.preventDefault();
      change(api, button.value, button.getAttribute("aria-pressed") !== "true", false);
    } else if (steps[event.key]) {
      event.preventDefault();
      follow(steps[event.key]);
    } else if (event.key === "u") {
      event.preventDefault();
      undo();
    }
  });
})();
