/**
 * The explicit Runge–Kutta methods the solver knows. Each one is data; adding a method means adding
 * one `defineTableau` call here and one entry in `methods`.
 *
 * @module
 */
import { defineTableau, type ButcherTableau } from "./tableau";

/** Forward Euler: the method a ResNet block implements, u + h f(u). */
export const euler = defineTableau({
  name: "euler",
  order: 1,
  c: [0],
  a: [[]],
  b: [1],
  reference: "Euler (1768); Hairer, Nørsett & Wanner, Solving ODEs I, §II.1",
});

/** Explicit midpoint rule, order 2. */
export const midpoint = defineTableau({
  name: "midpoint",
  order: 2,
  c: [0, 1 / 2],
  a: [[], [1 / 2]],
  b: [0, 1],
  reference: "Runge (1895); Hairer, Nørsett & Wanner, Solving ODEs I, §II.1",
});

/** Heun's method (explicit trapezoidal rule), order 2. */
export const heun = defineTableau({
  name: "heun",
  order: 2,
  c: [0, 1],
  a: [[], [1]],
  b: [1 / 2, 1 / 2],
  reference: "Heun (1900); Hairer, Nørsett & Wanner, Solving ODEs I, §II.1",
});

/** The classical fourth-order Runge–Kutta method. */
export const rk4 = defineTableau({
  name: "rk4",
  order: 4,
  c: [0, 1 / 2, 1 / 2, 1],
  a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  reference: "Kutta (1901); Hairer, Nørsett & Wanner, Solving ODEs I, Table II.1.2",
});

/** Bogacki–Shampine 3(2), FSAL; dense output is cubic Hermite, which matches its order. */
export const bs3 = defineTableau({
  name: "bs3",
  order: 3,
  errorOrder: 2,
  c: [0, 1 / 2, 3 / 4, 1],
  a: [[], [1 / 2], [0, 3 / 4], [2 / 9, 1 / 3, 4 / 9]],
  b: [2 / 9, 1 / 3, 4 / 9, 0],
  // b − b̂ with b̂ = [7/24, 1/4, 1/3, 1/8]
  bError: [2 / 9 - 7 / 24, 1 / 3 - 1 / 4, 4 / 9 - 1 / 3, -1 / 8],
  reference: "Bogacki & Shampine, Appl. Math. Lett. 2 (1989) 321–325",
});

const dopri5B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const dopri5BHat = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

/**
 * Dormand–Prince's continuous extension (Hairer's CONTD5), rewritten as polynomials b_i(θ):
 *   u(θ) = u0 + θΔ + θ(1−θ)(h k1 − Δ) + θ²(1−θ)(2Δ − h k1 − h k7) + θ²(1−θ)² h Σ d_i k_i,  Δ = u1 − u0.
 * Expanding in powers of θ gives, per stage, [δ_i1, 3b_i − 2δ_i1 − δ_i7 + d_i, −2b_i + δ_i1 + δ_i7 − 2d_i, d_i].
 */
function dopri5Dense(): number[][] {
  const d = [
    -12715105075 / 11282082432, 0, 87487479700 / 32700410799, -10690763975 / 1880347072,
    701980252875 / 199316789632, -1453857185 / 822651844, 69997945 / 29380423,
  ];
  return dopri5B.map((bi, i) => {
    const first = i === 0 ? 1 : 0;
    const last = i === 6 ? 1 : 0;
    return [first, 3 * bi - 2 * first - last + d[i], -2 * bi + first + last - 2 * d[i], d[i]];
  });
}

/** Dormand–Prince 5(4), FSAL, with a fourth-order continuous extension. */
export const dopri5 = defineTableau({
  name: "dopri5",
  order: 5,
  errorOrder: 4,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    dopri5B.slice(0, 6),
  ],
  b: dopri5B,
  bError: dopri5B.map((bi, i) => bi - dopri5BHat[i]),
  dense: dopri5Dense(),
  reference: "Dormand & Prince, J. Comput. Appl. Math. 6 (1980) 19–26; dense output: Hairer, Nørsett & Wanner, Solving ODEs I, §II.6",
});

const tsit5B = [0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774, 0];

/** Tsitouras 5(4), FSAL, the lecture's `Tsit5()`, with its fourth-order continuous extension. */
export const tsit5 = defineTableau({
  name: "tsit5",
  order: 5,
  errorOrder: 4,
  c: [0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1],
  a: [
    [],
    [0.161],
    [-0.008480655492356989, 0.335480655492357],
    [2.8971530571054935, -6.359448489975075, 4.3622954328695815],
    [5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525],
    [5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383],
    tsit5B.slice(0, 6),
  ],
  b: tsit5B,
  bError: [
    -0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995, -0.1447110071732629,
    0.5823571654525552, -0.45808210592918697, 1 / 66,
  ],
  // Tsitouras' b_i(θ), expanded in powers θ, θ², θ³, θ⁴.
  dense: [
    [1, -2.763706197274826, 2.9132554618219126, -1.0530884977290216],
    [0, 0.1317, -0.2234, 0.1017],
    [0, 3.9302962368947516, -5.941033872131505, 2.490627285651253],
    [0, -12.411077166933676, 30.33818863028232, -16.548102889244902],
    [0, 37.50931341651104, -88.1789048947664, 47.37952196281928],
    [0, -27.896526289197286, 65.09189467479366, -34.87065786149661],
    [0, 1.5, -4, 2.5],
  ],
  reference: "Tsitouras, Comput. Math. Appl. 62 (2011) 770–775",
});

/** Every method by name. Adding a method: define its tableau above and list it here. */
export const methods = Object.freeze({ euler, midpoint, heun, rk4, bs3, dopri5, tsit5 });

/** The name of a built-in method. */
export type MethodName = keyof typeof methods;

/** Other libraries' names for the methods here (scipy, MATLAB, DifferentialEquations.jl). */
const ALIASES: Readonly<Record<string, MethodName>> = Object.freeze({ rk45: "dopri5", ode45: "dopri5", dp5: "dopri5", rk23: "bs3", ode23: "bs3", rk4classic: "rk4" });

/** For an unknown method name: the built-in one it probably means (`"Tsit5"` → tsit5, `"RK45"` → dopri5). */
export function suggestMethod(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const key = name.toLowerCase();
  const match = Object.hasOwn(methods, key) ? key : ALIASES[key];
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/** Looks a method up by name, or passes a tableau through. Unknown names list the known ones. */
export function resolveMethod(method: MethodName | ButcherTableau): ButcherTableau {
  if (typeof method === "object" && method !== null) return method;
  const tab = Object.hasOwn(methods, method as string) ? (methods as Record<string, ButcherTableau>)[method as string] : undefined;
  if (!tab) {
    const hint = suggestMethod(method);
    throw new Error(`options.method: unknown method '${String(method)}'${hint ? ` (${hint})` : ""}. Known methods: ${Object.keys(methods).join(", ")}.`);
  }
  return tab;
}
