// Questions whose show_if reads answers on this page show and hide as the respondent answers.
// The server decides all the same (a hidden question is neither required nor stored): without
// this script every question shows. Conditions come parsed by the server (surveys/conditions.py),
// as JSON trees, and mean here what surveys/branching.py says they mean.
(() => {
  const form = document.querySelector("form[data-earlier]");
  if (!form) return;
  const earlier = JSON.parse(form.dataset.earlier), ratings = JSON.parse(form.dataset.ratings);
  const asked = (id) => form.querySelectorAll(`[name="${CSS.escape(id)}"]`);

  function answer(id) {
    const inputs = [...asked(id)];
    if (!inputs.length) return id in earlier ? earlier[id] : null;
    const shown = inputs[0].closest("[data-show-if]");
    if (shown && shown.hidden) return null;  // a hidden question counts as unanswered
    if (inputs[0].type === "radio") {
      const on = inputs.find((i) => i.checked);
      return on ? (ratings.includes(id) ? Number(on.value) : on.value) : null;
    }
    if (inputs[0].type === "checkbox" && inputs.length === 1) return inputs[0].checked ? true : null;
    if (inputs[0].type === "checkbox") {
      const on = inputs.filter((i) => i.checked).map((i) => i.value);
      return on.length ? on : null;
    }
    return inputs[0].value.trim() || null;
  }

  const truth = (v) => !(v === null || v === false || v === "" || (Array.isArray(v) && !v.length));
  const numbers = (a, b) => typeof a === "number" && typeof b === "number";

  function value(tree) {
    const [kind, a, b] = tree;
    if (kind === "lit") return a;
    if (kind === "id") return answer(a);
    if (kind === "not") return !truth(value(a));
    if (kind === "and") return truth(value(a)) && truth(value(b));
    if (kind === "or") return truth(value(a)) || truth(value(b));
    const left = value(a), right = value(b);
    if (left === null || right === null) return false;
    if (kind === "in") return Array.isArray(right) && right.includes(String(left));
    if (kind === "==" || kind === "!=") {
      const same = typeof left === "string" || typeof right === "string" ? String(left) === String(right) : left === right;
      return kind === "==" ? same : !same;
    }
    if (!numbers(left, right)) return false;
    return { "<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right }[kind];
  }

  function update() {
    for (const question of form.querySelectorAll("[data-show-if]")) {
      question.hidden = !truth(value(JSON.parse(question.dataset.showIf)));
    }
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
