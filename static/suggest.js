// The review queue: a key press decides (a accepts, r rejects), unless the analyst is typing.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || /INPUT|TEXTAREA|SELECT/.test(event.target.tagName)) return;
  const button = document.querySelector(`button[data-key="${event.key}"]`);
  if (button) { event.preventDefault(); button.click(); }
});
