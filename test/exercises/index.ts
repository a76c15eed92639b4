/**
 * Every exercise by name: the grader and the sync test look exercises up here. Adding an exercise
 * means a `solutions/<name>.ipynb`, a checks file next to this one, and one line below.
 *
 * @module
 */
import type { Exercise } from "./harness";
import { exercise as lotkaVolterra } from "./lotka-volterra";
import { exercise as residualBlock } from "./residual-block";
import { exercise as rk4Step } from "./rk4-step";

export const exercises: Readonly<Record<string, Exercise>> = Object.freeze({
  [rk4Step.name]: rk4Step as unknown as Exercise,
  [residualBlock.name]: residualBlock as unknown as Exercise,
  [lotkaVolterra.name]: lotkaVolterra as unknown as Exercise,
});

export * from "./harness";
