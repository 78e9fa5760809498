/* The report order form shows only the fields of the chosen kind. Each such field carries
   data-for-kinds="quarterly …"; without this script every field stays visible (its label says
   which kind it is for), so the form works with scripts off. */
(function () {
  var kind = document.querySelector('select[name="kind"]');
  if (!kind) { return; }
  function update() {
    document.querySelectorAll("[data-for-kinds]").forEach(function (field) {
      var row = field.closest(".form-row") || field;
      var wanted = field.getAttribute("data-for-kinds").split(" ").indexOf(kind.value) !== -1;
      row.hidden = !wanted;
    });
  }
  kind.addEventListener("change", update);
  update();
})();
