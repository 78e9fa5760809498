/* «Отметить все»: a [data-check-all] box checks or clears every school box of the form. */
document.querySelectorAll("[data-check-all]").forEach(function (box) {
  box.addEventListener("change", function () {
    document.querySelectorAll('input[name="school"]').forEach(function (c) { c.checked = box.checked; });
  });
});
