// Dealflow pages: the CSRF token on every HTMX request, drag-and-drop on the deal board,
// and errors from HTMX requests shown instead of silently dropped.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  document.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-CSRF-Token"] = csrf();
  });

  document.addEventListener("htmx:responseError", (event) => {
    const toast = document.getElementById("toast");
    toast.innerHTML = event.detail.xhr.responseText;
    setTimeout(() => { toast.innerHTML = ""; }, 6000);
  });

  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".deal-card");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.dealId);
  });
  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".drop-target").forEach((c) => c.classList.remove("drop-target"));
    dragged = null;
  });
  document.addEventListener("dragover", (event) => {
    const column = event.target.closest && event.target.closest(".column");
    if (!column || !dragged) return;
    event.preventDefault();
    document.querySelectorAll(".drop-target").forEach((c) => c !== column && c.classList.remove("drop-target"));
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", (event) => {
    const column = event.target.closest && event.target.closest(".column");
    if (!column || !dragged) return;
    event.preventDefault();
    const dealId = dragged.dataset.dealId;
    if (dragged.closest(".column") === column) return;
    column.querySelector(".cards").prepend(dragged);
    htmx.ajax("POST", "/deals/" + dealId + "/move", {
      source: column,
      target: "#board",
      swap: "outerHTML",
      values: { stage_id: column.dataset.stageId },
    });
  });
})();
