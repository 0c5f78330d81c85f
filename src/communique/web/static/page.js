// Communique's page works without this script; with it, changing a role,
// the template or a field updates the outline and preview in place.
"use strict";

document.addEventListener("change", async (event) => {
  const field = event.target;
  const form = field.form;
  if (!form || form.id !== "document") {
    return;
  }
  const status = document.getElementById("status");
  if (status) {
    status.textContent = status.dataset.busy;
  }
  form.setAttribute("aria-busy", "true");
  const response = await fetch("/update", { method: "POST", body: new FormData(form) });
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const focused = field.id;
  document.querySelector("main").replaceWith(page.querySelector("main"));
  const error = document.getElementById("error");
  const again = error || (focused && document.getElementById(focused));
  if (again) {
    again.focus();
  }
  if (status) {
    status.textContent = response.ok ? status.dataset.done : "";
  }
});
