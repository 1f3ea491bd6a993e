// Agent app and public pages: htmx for partial updates, a little glue for CSRF.
import htmx from "htmx.org";
import "./inbox.js";

window.htmx = htmx;

document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
