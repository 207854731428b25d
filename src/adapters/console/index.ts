export {
  type ConsoleAdapter,
  type ConsoleAdapterOptions,
  createConsoleAdapter,
} from './console-adapter.ts';
export { renderCard } from './console-render.ts';
