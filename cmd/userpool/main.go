// Command userpool is a self-hostable, Amazon Cognito-compatible user pool
// server, and a CLI for everyday work with it.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCommand().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "userpool:", err)
		os.Exit(exitCode(err))
	}
}
