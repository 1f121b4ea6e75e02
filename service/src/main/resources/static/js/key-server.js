import { attachMeter } from "./password-strength.js";

const input = document.getElementById("p12Password");
if (input) {
  const value = (id) => { const field = document.getElementById(id); return field ? field.value : null; };
  attachMeter(input, document.getElementById("p12Strength"), document.getElementById("p12StrengthText"),
    () => [value("fullName"), input.dataset.email, value("organisation")]);
  const repeat = document.getElementById("p12PasswordRepeat");
  const check = () => repeat.setCustomValidity(repeat.value === input.value ? "" : "The two passwords differ.");
  repeat.addEventListener("input", check);
  input.addEventListener("input", check);
  // Only the chosen key source's fields are checked by the browser.
  const server = document.getElementById("keySource-SERVER");
  const sync = () => {
    const chosen = !server || server.checked;
    input.required = chosen;
    repeat.required = chosen;
    input.disabled = !chosen;
    repeat.disabled = !chosen;
  };
  document.querySelectorAll("input[name=keySource]").forEach((radio) => radio.addEventListener("change", sync));
  sync();
}
