export type RouteMatch<T> = { value: T; params: Record<string, string> } | 'method-not-allowed' | undefined;

interface Route<T> {
  method: string;
  pattern: RegExp;
  names: string[];
  value: T;
}

/** Method + path patterns with `:name` segments; parameters are URL-decoded. */
export class Router<T> {
  private readonly routes: Route<T>[] = [];

  add(method: string, path: string, value: T): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, value });
    return this;
  }

  match(method: string, pathname: string): RouteMatch<T> {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = safeDecode(found[index + 1] ?? '');
      });
      return { value: route.value, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
