// Repeated rows (e.g. the parties of a mediation case): a button with data-add-row="<template id>"
// clones that <template> into the list it names, so nothing typed so far is lost. Without this
// script the same button submits the form and the server re-renders it with one more row.
(function () {
  "use strict";

  function addRow(button) {
    var template = document.getElementById(button.getAttribute("data-add-row"));
    var list = document.getElementById(template.getAttribute("data-into"));
    var max = parseInt(template.getAttribute("data-max"), 10);
    var count = list.querySelectorAll("[data-row]").length;
    if (count >= max) {
      return;
    }
    var next = parseInt(list.getAttribute("data-next-index"), 10);
    var html = template.innerHTML.split("__index__").join(String(next))
      .split("__number__").join(String(count + 1));
    list.insertAdjacentHTML("beforeend", html);
    list.setAttribute("data-next-index", String(next + 1));
    var row = list.lastElementChild;
    var first = row.querySelector("input[type=text], textarea") || row.querySelector("input, select");
    if (first) {
      first.focus();
    }
    if (count + 1 >= max) {
      button.disabled = true;
    }
    var status = document.getElementById(button.getAttribute("aria-controls") + "-status");
    if (status && button.hasAttribute("data-added")) {
      status.textContent = button.getAttribute("data-added").split("{n}").join(String(count + 1));
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add-row]");
    if (!button) {
      return;
    }
    event.preventDefault();
    addRow(button);
  });
})();
