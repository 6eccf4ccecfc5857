// Live character count for textareas with data-max-chars. Progressive enhancement: the
// server checks the limit too, so the form works the same without this script.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");  // after a failed submit: start there
  if (summary) { summary.focus(); }
  document.querySelectorAll("textarea[data-max-chars]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-max-chars"), 10);
    var out = document.createElement("div");
    out.id = area.id + "-count";
    out.className = "form-text";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
    function update() {
      // Count like the server: line breaks are one character (browsers send CR LF).
      var length = area.value.replace(/\r\n/g, "\n").length;
      var over = length - limit;
      out.textContent = over > 0
        ? length.toLocaleString() + " characters: " + over.toLocaleString() + " over the limit of " + limit.toLocaleString()
        : length.toLocaleString() + " of " + limit.toLocaleString() + " characters";
      out.classList.toggle("text-danger", over > 0);
    }
    area.addEventListener("input", update);
    update();
  });
})();
