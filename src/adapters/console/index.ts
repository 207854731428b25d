export {
  type ConsoleAdapter,
  type ConsoleAdapterOptions,
  createConsoleAdapter,
} from './console-adapter.ts';
export { renderCard, renderTable } from './console-render.ts';
