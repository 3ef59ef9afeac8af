package io.imagerec.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code imagerec}: the command-line client of the image recognition platform. Exit codes: 0 all
 * went well, 1 some files failed, 2 a usage error.
 */
@Command(name = "imagerec", mixinStandardHelpOptions = true, versionProvider = Imagerec.Version.class,
        description = "Client of the image recognition platform for high-volume uploads.",
        subcommands = {UploadCommand.class, KeysCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything was accepted (and succeeded, with --wait)", "1:some files failed",
                "2:usage error"})
public final class Imagerec implements Runnable {

    static final int OK = 0;
    static final int SOME_FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with UTF-8 output whatever the platform's default charset. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Imagerec());
        cli.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
                true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8),
                true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println("imagerec: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return USAGE;
        });
        return cli;
    }

    /** {@code imagerec} alone: the usage, as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command, such as upload");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Imagerec.class.getPackage().getImplementationVersion();
            return new String[] {"imagerec " + (version == null ? "(development build)" : version)};
        }
    }
}
