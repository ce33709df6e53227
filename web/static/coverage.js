// The coverage chart: needed, booked and available agents per half hour (bars and a line),
// forecast contacts and the service level achieved (right axes), from the figures in the page.
const canvas = document.getElementById("coverage-chart");
if (canvas && window.Chart) {
  const slots = JSON.parse(canvas.dataset.slots || "[]");
  const label = (s) => new Date(s.start).toISOString().slice(5, 16).replace("T", " ");
  new window.Chart(canvas, {
    data: {
      labels: slots.map(label),
      datasets: [
        { type: "bar", label: "Needed", data: slots.map((s) => s.needed), yAxisID: "agents" },
        { type: "bar", label: "Booked", data: slots.map((s) => s.booked), yAxisID: "agents" },
        { type: "line", label: "Available", data: slots.map((s) => s.available), yAxisID: "agents" },
        { type: "line", label: "Forecast contacts", data: slots.map((s) => s.forecast), yAxisID: "contacts" },
        { type: "line", label: "Service level %", yAxisID: "sl",
          data: slots.map((s) => (s.service_level === null ? null : s.service_level * 100)) },
      ],
    },
    options: {
      animation: false, responsive: true,
      scales: {
        agents: { beginAtZero: true, position: "left", title: { display: true, text: "agents" } },
        contacts: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } },
        sl: { min: 0, max: 100, position: "right", grid: { drawOnChartArea: false } },
      },
    },
  });
  const short = slots.filter((s) => s.available !== null && s.available < s.needed).length;
  canvas.setAttribute("aria-label", `Coverage per half hour: ${slots.length} slots, ${short} short of agents`);
}
