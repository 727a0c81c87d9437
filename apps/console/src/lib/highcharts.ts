// Highcharts with the modules the console uses. Import only from client components that are
// loaded without SSR (see app/(admin)/_components/chart.tsx): the library needs a DOM.
//
// Highcharts 12's UMD files register themselves on import: in a bundle the core sets
// `window._Highcharts` and each module side-effect import extends that same instance, so the
// modules must be imported after the core (ES import order guarantees it).
import Highcharts from "highcharts";
import "highcharts/highcharts-more"; // arearange (p50–p99 band)
import "highcharts/modules/stock"; // stockChart, navigator, dataGrouping switch
import "highcharts/modules/networkgraph";
import "highcharts/modules/accessibility";

declare global {
  interface Window {
    /** The console's Highcharts, for debugging and for the e2e tests' assertions on chart data. */
    Highcharts?: typeof Highcharts;
  }
}

if (typeof window !== "undefined") {
  window.Highcharts = Highcharts;
  Highcharts.setOptions({
    credits: { enabled: false },
    time: { timezone: undefined },
    chart: { style: { fontFamily: "inherit" }, animation: false },
    lang: { thousandsSep: "\u202f" },
  });
}

export { Highcharts };
