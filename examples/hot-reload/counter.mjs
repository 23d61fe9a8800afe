// Accepts its own replacement; its count survives through import.meta.hot.data.
let count = import.meta.hot?.data.count ?? 0;
const timer = setInterval(() => count++, 500);
export const ticks = () => count;
import.meta.hot?.accept();
import.meta.hot?.dispose((data) => {
  data.count = count;
  clearInterval(timer);
});
// Let the program end when main stops printing.
timer.unref();
