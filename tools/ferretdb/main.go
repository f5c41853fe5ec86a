// Command campuspay-ferretdb serves the MongoDB wire protocol for development
// and tests by embedding FerretDB v1. FerretDB's own command cannot be
// installed with `go install` (it panics on a missing version file), so the
// project builds this small wrapper instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to serve the MongoDB wire protocol on")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	dataDir := flag.String("data-dir", "./data", "directory for the SQLite backend")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL for the postgresql backend")
	flag.Parse()

	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  *handler,
	}
	switch *handler {
	case "sqlite":
		dir, err := filepath.Abs(*dataDir)
		if err != nil {
			log.Fatalf("data dir: %v", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatalf("data dir: %v", err)
		}
		cfg.SQLiteURL = "file:" + dir + "/"
	case "postgresql":
		if *postgresURL == "" {
			log.Fatal("-postgresql-url is required with -handler postgresql")
		}
		cfg.PostgreSQLURL = *postgresURL
	default:
		log.Fatalf("unknown handler %q (want sqlite or postgresql)", *handler)
	}

	db, err := ferretdb.New(cfg)
	if err != nil {
		log.Fatalf("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()
	// Printed so a supervising script can tell the listener is configured;
	// readiness is still confirmed by a ping over the wire.
	fmt.Printf("campuspay-ferretdb serving %s on %s\n", *handler, *listen)
	if err := <-done; err != nil && ctx.Err() == nil {
		log.Fatalf("ferretdb: %v", err)
	}
}
