package dev.nvjrun.launcher.wrapper;

import java.util.List;
import java.util.Set;

/**
 * Where the subcommand and, for {@code create}/{@code run}, the image stand in a docker command
 * line — found the way nvidia-docker 1.0 found them: skip options, and the value after every
 * option that is not boolean. Only the boolean options need listing; everything else takes a value.
 *
 * @param command      the docker subcommand ("" when there is none)
 * @param commandIndex its position in the arguments, -1 when absent
 * @param imageIndex   the image's position for create/run, -1 otherwise or when absent
 */
record DockerArgv(List<String> args, String command, int commandIndex, int imageIndex) {

    private static final Set<String> GLOBAL_BOOLEANS = Set.of("-D", "--debug", "--tls", "--tlsverify", "-v", "--version", "--help", "-h");

    private static final Set<String> RUN_BOOLEANS = Set.of("-d", "--detach", "-i", "--interactive", "-t", "--tty",
            "--rm", "--init", "--privileged", "-P", "--publish-all", "--read-only", "--oom-kill-disable",
            "--no-healthcheck", "--disable-content-trust", "--sig-proxy", "-q", "--quiet", "--help", "--use-api-socket");

    static DockerArgv parse(List<String> args) {
        int c = firstOperand(args, 0, GLOBAL_BOOLEANS);
        if (c < 0) {
            return new DockerArgv(List.copyOf(args), "", -1, -1);
        }
        String command = args.get(c);
        int image = -1;
        if (isRewritten(command)) {
            image = firstOperand(args, c + 1, RUN_BOOLEANS);
        }
        return new DockerArgv(List.copyOf(args), command, c, image);
    }

    static boolean isRewritten(String command) {
        return command.equals("create") || command.equals("run");
    }

    String image() {
        return imageIndex < 0 ? "" : args.get(imageIndex);
    }

    /** The arguments with {@code inserted} placed right before the image. */
    List<String> withBeforeImage(List<String> inserted) {
        var out = new java.util.ArrayList<String>(args.subList(0, imageIndex));
        out.addAll(inserted);
        out.addAll(args.subList(imageIndex, args.size()));
        return out;
    }

    private static int firstOperand(List<String> args, int from, Set<String> booleans) {
        for (int i = from; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                return i + 1 < args.size() ? i + 1 : -1;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                return i;
            }
            if (arg.contains("=")) {
                continue;
            }
            if (arg.startsWith("--")) {
                if (!booleans.contains(arg)) {
                    i++;
                }
            } else {
                // Grouped short options (-it, -dit): a value follows unless every letter is boolean.
                for (char ch : arg.substring(1).toCharArray()) {
                    if (!booleans.contains("-" + ch)) {
                        i++;
                        break;
                    }
                }
            }
        }
        return -1;
    }
}
