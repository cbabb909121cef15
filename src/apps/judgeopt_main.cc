#include "apps/cli.h"

int main(int argc, char** argv) { return judgeopt::apps::RunCli(argc, argv); }
