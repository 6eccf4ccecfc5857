// Fills the dashboard's distinctive-terms panel once the page is shown: that panel samples and
// scores the matches, which costs more than the rest of the page. Without this script the panel
// is a link to the same list on its own page.
(function () {
  "use strict";
  var panel = document.getElementById("distinctive-panel");
  if (!panel || !window.fetch) { return; }
  fetch(panel.getAttribute("data-src"), {headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    })
    .then(function (html) { panel.innerHTML = html; })  // server-rendered and escaped, our own origin
    .catch(function () {
      panel.insertAdjacentHTML("afterbegin", '<p class="small text-body-secondary">Could not load them just now.</p>');
    });
})();
