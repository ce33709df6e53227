// The ROI page's chart: contacts (bars) and cost (line) per day, from the figures in the page.
const canvas = document.getElementById("roi-chart");
if (canvas && window.Chart) {
  const days = JSON.parse(canvas.dataset.days || "[]");
  new window.Chart(canvas, {
    data: {
      labels: days.map((d) => d.day),
      datasets: [
        { type: "bar", label: "Contacts", data: days.map((d) => d.contacts), yAxisID: "y" },
        { type: "line", label: "Cost", data: days.map((d) => Number(d.cost)), yAxisID: "cost" },
      ],
    },
    options: {
      animation: false, responsive: true,
      scales: { y: { beginAtZero: true, position: "left" },
                cost: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } },
    },
  });
  canvas.setAttribute("aria-label", `Contacts and cost per day: ${days.map((d) => `${d.day} ${d.contacts} contacts, cost ${d.cost}`).join("; ")}`);
}
