// The review queue: a key press decides (a accepts, r rejects), unless the analyst is typing.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || /INPUT|TEXTAREA|SELECT/.test(event.target.tagName)) return;
  const button = document.querySelector(`button[data-key="${event.key}"]`);
  if (button) { event.preventDefault(); button.click(); }
});

// While a model trains, ask every 3 seconds how far it is (the status line says so, without reloading the
// page under a screen reader), and show the model once it is ready. Without JavaScript: "look again".
const training = document.getElementById("training");
if (training && training.dataset.poll) {
  const look = async () => {
    try {
      const state = await (await fetch(training.dataset.poll, {headers: {Accept: "application/json"}})).json();
      if (!state.training) { window.location.reload(); return; }
      document.getElementById("training-state").textContent = `${state.training.state} (${state.training.seconds} s)`;
    } catch (error) { /* the next look may answer */ }
    window.setTimeout(look, 3000);
  };
  window.setTimeout(look, 3000);
}
