import '@fontsource-variable/inter/wght.css';
import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { applyTheme, theme } from './lib/theme.svelte.ts';
import { isSoftwareGl } from './lib/gpu-probe.ts';
import { drawCanvasesOnCpu } from './lib/cpu-canvas.ts';

if (isSoftwareGl()) drawCanvasesOnCpu();

applyTheme(theme.current);
mount(App, { target: document.getElementById('app')! });
